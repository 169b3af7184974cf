package io.gantry.metrics.request;

/**
 * A metrics {@code request} that cannot be carried out. The message is the text Kanto puts into its 400
 * {@code messages:parameter.invalid} reply (reference/kanto-things.md §3.4), so the Ditto glue sends it unchanged.
 */
public final class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}

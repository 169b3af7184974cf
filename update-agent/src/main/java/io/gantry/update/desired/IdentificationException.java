package io.gantry.update.desired;

/**
 * A desired state cannot be carried out; the message is what the {@code IDENTIFICATION_FAILED} feedback says, and
 * is Kanto's text where Kanto has one (reference/kanto-cua.md §2.1, §7).
 */
public final class IdentificationException extends RuntimeException {

    public IdentificationException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.gantry.ditto.protocol;

import java.util.Objects;

/** A Ditto message or operation is refused with a known {@link DittoError}; the router replies with it. */
public final class DittoException extends RuntimeException {

    private final transient DittoError error;

    public DittoException(DittoError error) {
        this(error, null);
    }

    public DittoException(DittoError error, Throwable cause) {
        super(error.message(), cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public DittoError error() {
        return error;
    }
}

package io.gantry.core.container;

/** An image could not be pulled. */
public final class ImagePullException extends EngineException {

    /** Why the pull failed; only {@link #NETWORK} and {@link #STALLED} are worth retrying. */
    public enum Reason { NOT_FOUND, UNAUTHORIZED, NETWORK, STALLED, NO_SPACE, FAILED }

    private final Reason reason;

    public ImagePullException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package io.gantry.app.mqtt;

/** The embedded broker cannot run: its classes are not installed, or it failed to start; the message is one line. */
public final class EmbeddedBrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EmbeddedBrokerException(String message) {
        super(message);
    }

    EmbeddedBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}

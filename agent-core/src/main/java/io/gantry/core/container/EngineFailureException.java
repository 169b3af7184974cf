package io.gantry.core.container;

/** The engine answered with an error that none of the other exceptions describes; the message is the engine's. */
public final class EngineFailureException extends EngineException {

    public EngineFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}

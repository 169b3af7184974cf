package io.gantry.core.container;

/** The engine did not answer (not running, socket missing, timed out). The message names the URL tried. */
public final class EngineUnavailableException extends EngineException {

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

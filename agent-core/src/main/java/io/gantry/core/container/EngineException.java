package io.gantry.core.container;

/** A container engine operation failed. The subclasses say why; the message is one line fit for an operator. */
public abstract sealed class EngineException extends RuntimeException
        permits ContainerNotFoundException, ContainerConflictException, ImagePullException,
        EngineUnavailableException, EngineFailureException {

    protected EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}

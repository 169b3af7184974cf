package io.gantry.core.container;

/** The operation conflicts with the container's state or another container (a name already in use, …). */
public final class ContainerConflictException extends EngineException {

    public ContainerConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}

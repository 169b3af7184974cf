package io.gantry.core.container;

/** No container has the id or name asked for. */
public final class ContainerNotFoundException extends EngineException {

    private final String reference;

    public ContainerNotFoundException(String reference, Throwable cause) {
        super("no such container: " + reference, cause);
        this.reference = reference;
    }

    public String reference() {
        return reference;
    }
}

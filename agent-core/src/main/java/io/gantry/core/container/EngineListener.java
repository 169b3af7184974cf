package io.gantry.core.container;

/**
 * Receives the engine's container events. Methods are called on the engine adapter's event thread, in the order
 * the engine reported the events; they must hand off any work and return at once, never calling back into the
 * engine on that thread.
 */
public interface EngineListener {

    void onEvent(ContainerEvent event);

    /**
     * The engine is reachable again, or the event stream was re-established: events may have been missed, so
     * anything derived from the engine's state must be rebuilt from {@link ContainerEngine#list()}.
     */
    default void onResync() {
    }

    /** The engine stopped answering; {@code reason} says how. {@link #onResync()} follows when it is back. */
    default void onUnavailable(String reason) {
    }
}

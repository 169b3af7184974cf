package io.gantry.core.twin;

import io.gantry.core.container.ContainerId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@link TwinMirror} sends the twin's view of the engine: the Ditto twin in production, a recorder in tests.
 *
 * <p>Threading: every method is called on the mirror's thread ({@code gantry-twin}), one call at a time, so an
 * implementation that keeps its state on that thread needs no locks. Methods must not block on the network; they
 * may publish asynchronously. An exception thrown here is logged by the mirror and does not stop it.
 */
public interface TwinSink {

    /** What changed about a container, each aspect being one property of its twin feature (kanto-things §4.2). */
    enum Change {
        /** The container is new to the twin: its whole feature. */
        CREATED,
        /** {@code status/state}. */
        STATE,
        /** {@code status/name}. */
        NAME,
        /** {@code status/config}. */
        CONFIG
    }

    /** A container appeared or changed; {@code what} is never empty and holds only CREATED for a new container. */
    void changed(TwinContainer container, Set<Change> what);

    /** A container is gone; {@code last} is how the twin last saw it, if it ever did. */
    void removed(ContainerId id, Optional<TwinContainer> last);

    /** The whole picture, read again from the engine: every container that exists now, in the engine's list order. */
    void replaceAll(List<TwinContainer> containers);
}

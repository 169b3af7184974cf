package io.gantry.core.image;

import java.util.List;
import java.util.Optional;

/**
 * The engine's image store and the file system it lives on: what housekeeping, the free-space check before a pull,
 * {@code gantry doctor} and the Prometheus endpoint read. Calls block on the engine; they may be made from any thread.
 * Failures of the engine are {@link io.gantry.core.container.EngineException}s.
 */
public interface ImageStore {

    /** Every image of the engine. */
    List<StoredImage> images();

    /**
     * Removes an image by its id, never by force, and forgets that Gantry pulled it.
     *
     * @return false when the engine keeps it because a container uses it (or it is gone already)
     */
    boolean remove(String imageId);

    /** The file system of the engine's data root, when this host can see it (not for a remote engine). */
    Optional<DiskSpace> dataRoot();
}

package io.gantry.core.image;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The disk figures an operator watches: the engine's data root, how many images it holds, and how many bytes the
 * images no container uses hold (what {@code docker system df} calls reclaimable).
 */
public record DiskFigures(Optional<DiskSpace> dataRoot, int images, long reclaimableBytes) {

    public DiskFigures {
        Objects.requireNonNull(dataRoot, "dataRoot");
    }

    /** Reads the figures now (three engine calls). */
    public static DiskFigures read(ImageStore store, ContainerEngine engine) {
        List<StoredImage> images = store.images();
        Set<String> used = engine.list().stream().map(Container::imageId).collect(Collectors.toSet());
        long reclaimable = images.stream().filter(i -> !used.contains(i.id())).mapToLong(StoredImage::sizeBytes)
                .sum();
        return new DiskFigures(store.dataRoot(), images.size(), reclaimable);
    }
}

package io.gantry.metrics.sampling;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the kernel keeps one container's figures: its cgroup directories and, unless it uses the host's network,
 * the {@code net/dev} file of its main process (which shows the container's network namespace).
 */
public record ContainerFiles(CgroupDirs cgroup, Optional<Path> netDev) {

    public ContainerFiles {
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(netDev, "netDev");
    }
}

package io.gantry.metrics.sampling;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** The cgroup directories that hold one container's counters, for either cgroup version. */
public sealed interface CgroupDirs {

    /**
     * cgroup v1: one directory per controller. {@code blkio} and {@code pids} are empty when the host does not mount
     * those controllers.
     */
    record V1(Path cpuacct, Path memory, Optional<Path> blkio, Optional<Path> pids) implements CgroupDirs {
        public V1 {
            Objects.requireNonNull(cpuacct, "cpuacct");
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(blkio, "blkio");
            Objects.requireNonNull(pids, "pids");
        }
    }

    /** cgroup v2: one directory for every controller. */
    record V2(Path dir) implements CgroupDirs {
        public V2 {
            Objects.requireNonNull(dir, "dir");
        }
    }
}

package io.gantry.core.container;

import java.time.Instant;
import java.util.Objects;

/**
 * One reading of a container's resource counters. CPU figures are cumulative nanoseconds; utilisation is the
 * metrics module's job (it needs two readings). {@code memoryUsed} excludes the page cache, as {@code docker stats}
 * does; {@code memoryLimit} is the container limit or, without one, the host's memory.
 */
public record ContainerStats(ContainerId id, Instant readAt, long cpuTotalNanos, long systemCpuNanos, int onlineCpus,
                             long memoryUsed, long memoryLimit, long blockReadBytes, long blockWriteBytes,
                             long networkReadBytes, long networkWriteBytes, long pids) {

    public ContainerStats {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(readAt, "readAt");
    }
}

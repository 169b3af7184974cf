package io.gantry.metrics.snapshot;

import io.gantry.core.container.ContainerStats;
import java.util.OptionalDouble;

/**
 * CPU utilisation between two readings of one container, computed as {@code docker stats} does (docker/cli
 * {@code calculateCPUPercentUnix}): the container's CPU time over the host's CPU time in the same interval, times
 * the online CPUs, times 100. A container that keeps one core busy therefore shows about 100 whatever the number of
 * cores.
 */
public final class CpuUsage {

    private CpuUsage() {
    }

    /**
     * The utilisation in percent, or nothing when there is no usable baseline: no previous reading, counters that
     * went backwards (the container was restarted, so its cgroup is new), or no host time elapsed.
     */
    public static OptionalDouble percent(ContainerStats previous, ContainerStats current) {
        if (previous == null) {
            return OptionalDouble.empty();
        }
        long containerDelta = current.cpuTotalNanos() - previous.cpuTotalNanos();
        long hostDelta = current.systemCpuNanos() - previous.systemCpuNanos();
        if (containerDelta < 0 || hostDelta <= 0) {
            return OptionalDouble.empty();
        }
        int cpus = Math.max(1, current.onlineCpus());
        return OptionalDouble.of((double) containerDelta / hostDelta * cpus * 100.0);
    }
}

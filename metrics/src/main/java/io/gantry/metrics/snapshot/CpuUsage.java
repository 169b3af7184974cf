package io.gantry.metrics.snapshot;

import io.gantry.core.container.ContainerStats;
import java.util.OptionalDouble;

/**
 * CPU utilisation between two readings of one container on Kanto's scale (reference/kanto-things.md §3.4:
 * "% 0–100 = Δused/Δtotal×100"): the container's CPU time over the host's CPU time of all cores in the same interval,
 * times 100. It is the container's share of the whole machine, so a container that keeps one core busy shows about
 * 50 on a 2-core host and 25 on a 4-core host. {@code docker stats} multiplies the same ratio by the online CPUs
 * (100 = one core); Gantry keeps Kanto's meaning on the wire (DESIGN.md, "Wire compatibility") and offers the
 * per-core view as the Prometheus counter of CPU seconds.
 */
public final class CpuUsage {

    private CpuUsage() {
    }

    /**
     * The utilisation in percent of the whole machine, or nothing when there is no usable baseline: no previous
     * reading, counters that went backwards (the container was restarted, so its cgroup is new), or no host time
     * elapsed.
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
        return OptionalDouble.of((double) containerDelta / hostDelta * 100.0);
    }
}

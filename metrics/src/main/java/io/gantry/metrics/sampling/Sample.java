package io.gantry.metrics.sampling;

import io.gantry.core.container.ContainerStats;
import java.util.Objects;

/** One container's counters at one moment, with the container they belong to. */
public record Sample(Target target, ContainerStats stats, Source source) {

    /** Where the figures came from. */
    public enum Source {
        /** cgroup and /proc files, read in one pass per tick */
        KERNEL,
        /** the engine's statistics API */
        ENGINE_API
    }

    public Sample {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(source, "source");
    }
}

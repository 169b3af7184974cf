package io.gantry.metrics.snapshot;

import io.gantry.core.container.ContainerId;
import java.util.List;
import java.util.Objects;

/** The measurements of one originator in a snapshot; never empty (Kanto skips a container without any). */
public record ContainerMeasurements(String originator, List<Measurement> measurements) {

    /** The originator prefix of a container's measurements: the id of its twin feature. */
    public static final String ORIGINATOR_PREFIX = "Container:";

    public ContainerMeasurements {
        Objects.requireNonNull(originator, "originator");
        measurements = List.copyOf(measurements);
        if (measurements.isEmpty()) {
            throw new IllegalArgumentException("no measurements for " + originator);
        }
    }

    public static String originatorOf(ContainerId id) {
        return ORIGINATOR_PREFIX + id.value();
    }
}

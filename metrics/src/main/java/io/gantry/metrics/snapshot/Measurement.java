package io.gantry.metrics.snapshot;

import java.util.Objects;

/** One measured value of a container, e.g. {@code memory.used = 4759552}. */
public record Measurement(MeasurementId id, double value) {

    public Measurement {
        Objects.requireNonNull(id, "id");
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(id.wireId() + " is not a finite number: " + value);
        }
    }
}

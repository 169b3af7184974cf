package io.gantry.metrics.snapshot;

import java.util.List;

/**
 * What one tick measured: the {@code value} of a Ditto {@code data} message, {@code {"snapshot":[…],"timestamp":…}}
 * with the timestamp in Unix seconds (reference/kanto-things.md §3.4). Never empty: an empty tick sends nothing.
 */
public record Snapshot(List<ContainerMeasurements> entries, long timestamp) {

    public Snapshot {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an empty snapshot is never sent");
        }
    }
}

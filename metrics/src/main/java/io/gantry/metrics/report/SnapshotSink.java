package io.gantry.metrics.report;

import io.gantry.metrics.snapshot.Snapshot;

/**
 * Where the reporter hands each non-empty snapshot: the Ditto glue publishes it as a {@code data} live message on
 * {@code e/<tenant>/<thingId>} (reference/kanto-things.md §3.4).
 *
 * <p>Threading: called on the {@code gantry-metrics} thread, one snapshot at a time; it must not block (hand the
 * publish to the transport, which is asynchronous). An exception it throws is logged and the next tick carries on.
 * The reporter knows nothing about the connection: while the broker is away the sink decides what to do with a
 * snapshot (publishing fails and is logged; the request itself stays active).
 */
@FunctionalInterface
public interface SnapshotSink {

    void publish(Snapshot snapshot);
}

package io.gantry.ditto.metrics;

import io.gantry.ditto.LiveMessages;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.metrics.report.SnapshotSink;
import io.gantry.metrics.snapshot.Snapshot;
import io.gantry.metrics.snapshot.SnapshotJson;
import java.util.Objects;

/**
 * Sends each snapshot of the metrics reporter to the cloud as the {@code Metrics} feature's {@code data} live message
 * on {@code e/<tenant>/<thingId>} (reference/kanto-things.md §3.4, §2.5). While the twin is not registered on the
 * current connection the message is dropped; the request stays active, so data flows again once the twin is
 * published after a reconnect.
 */
public final class MetricsData implements SnapshotSink {

    /** The subject of the live message. */
    public static final String SUBJECT = "data";

    private final LiveMessages live;

    public MetricsData(LiveMessages live) {
        this.live = Objects.requireNonNull(live, "live");
    }

    @Override
    public void publish(Snapshot snapshot) {
        live.publish(FeatureIds.METRICS, SUBJECT, SnapshotJson.toTree(snapshot));
    }
}

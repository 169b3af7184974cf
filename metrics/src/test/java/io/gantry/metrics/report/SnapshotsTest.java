package io.gantry.metrics.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.metrics.request.MetricFilter;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.sampling.Target;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import io.gantry.metrics.snapshot.Measurement;
import io.gantry.metrics.snapshot.MeasurementId;
import io.gantry.metrics.snapshot.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

    private static final ContainerId A = ContainerId.of("aaaa");
    private static final ContainerId B = ContainerId.of("bbbb");
    private static final MetricsRequest ALL = MetricsRequest.of(Duration.ofSeconds(2));

    private static Sample sample(ContainerId id, long cpu, long host, long pids, boolean hostNetwork) {
        return new Sample(new Target(id, "n-" + id, "img", 10, hostNetwork),
                new ContainerStats(id, Instant.EPOCH, cpu, host, 2, 1024, 4096, 11, 22, 33, 44, pids),
                Sample.Source.KERNEL);
    }

    private static ContainerStats baseline(ContainerId id) {
        return new ContainerStats(id, Instant.EPOCH, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0);
    }

    private static List<String> ids(ContainerMeasurements entry) {
        return entry.measurements().stream().map(m -> m.id().wireId()).toList();
    }

    @Test
    void build_everyMeasurement_inKantosOrderWithValues() {
        Optional<Snapshot> snapshot = Snapshots.build(ALL, List.of(sample(A, 500, 2000, 3, false)),
                Map.of(A, baseline(A)), 1719560121L);

        assertThat(snapshot).contains(new Snapshot(List.of(new ContainerMeasurements("Container:aaaa", List.of(
                // 500 ns of the host's 2000 (all cores): a quarter of the machine
                new Measurement(MeasurementId.CPU_UTILIZATION, 25.0),
                new Measurement(MeasurementId.MEMORY_TOTAL, 4096),
                new Measurement(MeasurementId.MEMORY_USED, 1024),
                new Measurement(MeasurementId.MEMORY_UTILIZATION, 25.0),
                new Measurement(MeasurementId.IO_READ_BYTES, 11),
                new Measurement(MeasurementId.IO_WRITE_BYTES, 22),
                new Measurement(MeasurementId.NET_READ_BYTES, 33),
                new Measurement(MeasurementId.NET_WRITE_BYTES, 44),
                new Measurement(MeasurementId.PIDS, 3)))), 1719560121L));
    }

    @Test
    void build_withoutBaseline_leavesCpuOut() {
        Snapshot snapshot = Snapshots.build(ALL, List.of(sample(A, 500, 2000, 3, false)), Map.of(), 1).orElseThrow();

        assertThat(ids(snapshot.entries().get(0))).doesNotContain("cpu.utilization").contains("memory.total");
    }

    @Test
    void build_zeroPidsAndHostNetwork_leaveThoseOut() {
        Snapshot snapshot = Snapshots.build(ALL, List.of(sample(A, 500, 2000, 0, true)), Map.of(A, baseline(A)), 1)
                .orElseThrow();

        assertThat(ids(snapshot.entries().get(0))).containsExactly("cpu.utilization", "memory.total",
                "memory.used", "memory.utilization", "io.readBytes", "io.writeBytes");
    }

    @Test
    void build_cpuFilter_reportsOnlyCpu() {
        // reference/kanto-things.md §5 statement 51
        MetricsRequest cpuOnly = MetricsRequest.of(Duration.ofSeconds(2), MetricFilter.of("Container:aaaa", "cpu.*"));

        Snapshot snapshot = Snapshots.build(cpuOnly, List.of(sample(A, 5, 20, 1, false), sample(B, 5, 20, 1, false)),
                Map.of(A, baseline(A), B, baseline(B)), 1).orElseThrow();

        assertThat(snapshot.entries()).hasSize(1);
        assertThat(snapshot.entries().get(0).originator()).isEqualTo("Container:aaaa");
        assertThat(ids(snapshot.entries().get(0))).containsExactly("cpu.utilization");
    }

    @Test
    void build_filtersThatSelectNothing_giveNoSnapshot() {
        // reference/kanto-things.md §5 statement 50
        List<Sample> samples = List.of(sample(A, 5, 20, 1, false));
        MetricsRequest otherOriginator = MetricsRequest.of(Duration.ofSeconds(2), MetricFilter.of("test.process"));
        MetricsRequest unknownId = MetricsRequest.of(Duration.ofSeconds(2),
                MetricFilter.of("Container:aaaa", "test.io"));

        assertThat(Snapshots.build(otherOriginator, samples, Map.of(A, baseline(A)), 1)).isEmpty();
        assertThat(Snapshots.build(unknownId, samples, Map.of(A, baseline(A)), 1)).isEmpty();
    }

    @Test
    void build_containerWithNothingSelected_isSkipped() {
        // cpu only, but B has no baseline yet: B has no measurement and is left out, A stays
        MetricsRequest cpuOnly = MetricsRequest.of(Duration.ofSeconds(2), MetricFilter.of("", "cpu"));

        Snapshot snapshot = Snapshots.build(cpuOnly, List.of(sample(A, 5, 20, 1, false), sample(B, 5, 20, 1, false)),
                Map.of(A, baseline(A)), 1).orElseThrow();

        assertThat(snapshot.entries()).extracting(ContainerMeasurements::originator).containsExactly("Container:aaaa");
    }

    @Test
    void build_noSamples_givesNoSnapshot() {
        assertThat(Snapshots.build(ALL, List.of(), Map.of(), 1)).isEmpty();
    }
}

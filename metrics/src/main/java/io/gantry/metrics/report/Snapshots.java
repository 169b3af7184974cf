package io.gantry.metrics.report;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import io.gantry.metrics.snapshot.CpuUsage;
import io.gantry.metrics.snapshot.Measurement;
import io.gantry.metrics.snapshot.MeasurementId;
import io.gantry.metrics.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns one reading into the {@code data} a request asks for (reference/kanto-things.md §3.4): per container whose
 * originator the filters admit, the selected measurements in the fixed order, each only where there is data;
 * containers without measurements are skipped, and an empty snapshot is no snapshot.
 */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * @param baselines each container's previous reading, for {@code cpu.utilization}
     * @param timestamp Unix seconds
     */
    static Optional<Snapshot> build(MetricsRequest request, List<Sample> samples,
                                    Map<ContainerId, ContainerStats> baselines, long timestamp) {
        List<ContainerMeasurements> entries = new ArrayList<>();
        for (Sample sample : samples) {
            String originator = ContainerMeasurements.originatorOf(sample.target().id());
            if (!request.hasFilterFor(originator)) {
                continue;
            }
            List<Measurement> m = measure(request, originator, sample, baselines.get(sample.target().id()));
            if (!m.isEmpty()) {
                entries.add(new ContainerMeasurements(originator, m));
            }
        }
        return entries.isEmpty() ? Optional.empty() : Optional.of(new Snapshot(entries, timestamp));
    }

    private static List<Measurement> measure(MetricsRequest request, String originator, Sample sample,
                                             ContainerStats baseline) {
        ContainerStats s = sample.stats();
        List<Measurement> out = new ArrayList<>();
        if (request.hasFilterForItem(MeasurementId.CPU_UTILIZATION, originator)) {
            OptionalDouble cpu = CpuUsage.percent(baseline, s);
            cpu.ifPresent(v -> out.add(new Measurement(MeasurementId.CPU_UTILIZATION, v)));
        }
        if (s.memoryLimit() > 0) {
            add(out, request, originator, MeasurementId.MEMORY_TOTAL, s.memoryLimit());
            add(out, request, originator, MeasurementId.MEMORY_USED, s.memoryUsed());
            add(out, request, originator, MeasurementId.MEMORY_UTILIZATION,
                    (double) s.memoryUsed() / s.memoryLimit() * 100.0);
        }
        add(out, request, originator, MeasurementId.IO_READ_BYTES, s.blockReadBytes());
        add(out, request, originator, MeasurementId.IO_WRITE_BYTES, s.blockWriteBytes());
        // A container on the host's network has no network of its own to measure.
        if (!sample.target().hostNetwork()) {
            add(out, request, originator, MeasurementId.NET_READ_BYTES, s.networkReadBytes());
            add(out, request, originator, MeasurementId.NET_WRITE_BYTES, s.networkWriteBytes());
        }
        if (s.pids() > 0) {
            add(out, request, originator, MeasurementId.PIDS, s.pids());
        }
        return out;
    }

    private static void add(List<Measurement> out, MetricsRequest request, String originator, MeasurementId id,
                            double value) {
        if (request.hasFilterForItem(id, originator)) {
            out.add(new Measurement(id, value));
        }
    }
}

package io.gantry.metrics.prometheus;

import io.gantry.core.container.ContainerStats;
import io.gantry.core.image.DiskFigures;
import io.gantry.metrics.agent.AgentMetrics;
import io.gantry.metrics.prometheus.MetricFamily.Type;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.sampling.Sampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The metric families Gantry serves: the figures of each running container (labels {@code id}, {@code name},
 * {@code image}) as counters and gauges in base units, and Gantry's own figures from {@link AgentMetrics}.
 * docs/metrics.md lists them all.
 */
public final class Families {

    private static final double NANOS_PER_SECOND = 1e9;

    private Families() {
    }

    /** The per-container families of one reading, then how the reading was taken. */
    public static List<MetricFamily> containers(Sampler.Reading reading) {
        List<MetricFamily> out = new ArrayList<>();
        out.add(perContainer(reading, "gantry_container_cpu_seconds_total", Type.COUNTER,
                "CPU time the container used, in seconds (rate() * 100 gives docker stats' CPU %).",
                s -> s.cpuTotalNanos() / NANOS_PER_SECOND, false));
        out.add(perContainer(reading, "gantry_container_memory_used_bytes", Type.GAUGE,
                "Memory the container uses without the inactive page cache, as docker stats shows it.",
                s -> s.memoryUsed(), false));
        out.add(perContainer(reading, "gantry_container_memory_limit_bytes", Type.GAUGE,
                "The container's memory limit, or the host's memory when it has none.",
                s -> s.memoryLimit(), false));
        out.add(perContainer(reading, "gantry_container_block_read_bytes_total", Type.COUNTER,
                "Bytes the container read from block devices.", s -> s.blockReadBytes(), false));
        out.add(perContainer(reading, "gantry_container_block_write_bytes_total", Type.COUNTER,
                "Bytes the container wrote to block devices.", s -> s.blockWriteBytes(), false));
        out.add(perContainer(reading, "gantry_container_network_receive_bytes_total", Type.COUNTER,
                "Bytes received on the container's network interfaces (none for host networking).",
                s -> s.networkReadBytes(), true));
        out.add(perContainer(reading, "gantry_container_network_transmit_bytes_total", Type.COUNTER,
                "Bytes sent on the container's network interfaces (none for host networking).",
                s -> s.networkWriteBytes(), true));
        out.add(perContainer(reading, "gantry_container_pids", Type.GAUGE,
                "Processes and threads in the container.", s -> s.pids(), false));
        out.add(MetricFamily.builder("gantry_metrics_sampled_containers", Type.GAUGE,
                        "Containers in the last reading, by where their figures came from.")
                .add(Map.of("path", "kernel"), reading.kernel())
                .add(Map.of("path", "engine_api"), reading.engineApi())
                .build());
        out.add(MetricFamily.builder("gantry_metrics_missed_containers", Type.GAUGE,
                        "Running containers left out of the last reading (vanished, or the engine was too slow).")
                .add(reading.missed())
                .build());
        return out;
    }

    private static MetricFamily perContainer(Sampler.Reading reading, String name, Type type, String help,
                                             ToDoubleFunction<ContainerStats> value, boolean network) {
        MetricFamily.Builder family = MetricFamily.builder(name, type, help);
        for (Sample s : reading.samples()) {
            if (network && s.target().hostNetwork()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("id", s.target().id().value());
            labels.put("name", s.target().name());
            labels.put("image", s.target().image());
            family.add(labels, value.applyAsDouble(s.stats()));
        }
        return family.build();
    }

    /** The disk figures: free and total bytes of the engine's data root (when visible here), images, reclaimable. */
    public static List<MetricFamily> disk(DiskFigures figures) {
        List<MetricFamily> out = new ArrayList<>();
        figures.dataRoot().ifPresent(root -> {
            Map<String, String> path = Map.of("path", root.path().toString());
            out.add(MetricFamily.builder("gantry_engine_data_root_free_bytes", Type.GAUGE,
                    "Bytes free for the engine on the file system of its data root.").add(path, root.freeBytes())
                    .build());
            out.add(MetricFamily.builder("gantry_engine_data_root_size_bytes", Type.GAUGE,
                    "Size of the file system of the engine's data root.").add(path, root.totalBytes()).build());
        });
        out.add(MetricFamily.builder("gantry_engine_images", Type.GAUGE, "Images the engine holds.")
                .add(figures.images()).build());
        out.add(MetricFamily.builder("gantry_engine_images_reclaimable_bytes", Type.GAUGE,
                "Bytes held by images that no container uses.").add(figures.reclaimableBytes()).build());
        return out;
    }

    /** Gantry's own families. */
    public static List<MetricFamily> agent(AgentMetrics m) {
        List<MetricFamily> out = new ArrayList<>();
        out.add(MetricFamily.builder("gantry_uptime_seconds", Type.GAUGE, "Seconds since Gantry started.")
                .add(m.uptime().toMillis() / 1000.0).build());
        out.add(MetricFamily.builder("gantry_mqtt_connected", Type.GAUGE,
                "1 while Gantry is connected to the MQTT broker, else 0.").add(m.mqttConnected().value()).build());
        out.add(MetricFamily.builder("gantry_mqtt_reconnects_total", Type.COUNTER,
                "Connections to the broker after the first one.").add(m.mqttReconnects().value()).build());
        out.add(MetricFamily.builder("gantry_mqtt_messages_received_total", Type.COUNTER,
                "MQTT messages Gantry received.").add(m.messagesReceived().value()).build());
        out.add(MetricFamily.builder("gantry_mqtt_messages_refused_total", Type.COUNTER,
                "MQTT messages refused unread: larger than connection.max_payload_size.")
                .add(m.messagesRefused().value()).build());
        out.add(MetricFamily.builder("gantry_mqtt_messages_published_total", Type.COUNTER,
                "MQTT messages Gantry published and the broker acknowledged.")
                .add(m.messagesPublished().value()).build());
        out.add(MetricFamily.builder("gantry_mqtt_publish_failures_total", Type.COUNTER,
                "MQTT publishes that failed.").add(m.publishFailures().value()).build());
        out.add(MetricFamily.builder("gantry_twin_resyncs_total", Type.COUNTER,
                "Times the whole twin was published again after the first time.")
                .add(m.twinResyncs().value()).build());
        MetricFamily.Builder updates = MetricFamily.builder("gantry_update_operations_total", Type.COUNTER,
                "Finished update operations by final status.");
        m.updateOperationCounts().forEach((result, count) -> updates.add(Map.of("result", result), count));
        out.add(updates.build());
        MetricFamily.Builder refused = MetricFamily.builder("gantry_containers_refused_total", Type.COUNTER,
                "Containers refused by the policy or trust rules, by the rule's configuration key.");
        m.containersRefusedCounts().forEach((rule, count) -> refused.add(Map.of("rule", rule), count));
        out.add(refused.build());
        MetricFamily.Builder unmanaged = MetricFamily.builder("gantry_unmanaged_containers_total", Type.COUNTER,
                "Containers not created by Gantry whose image is not allowed, by what was done.");
        m.unmanagedContainerCounts().forEach((action, count) -> unmanaged.add(Map.of("action", action), count));
        out.add(unmanaged.build());
        out.add(MetricFamily.builder("gantry_engine_available", Type.GAUGE,
                "1 while the container engine answers, else 0.").add(m.engineAvailable().value()).build());
        return out;
    }
}

package io.gantry.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.image.DiskFigures;
import io.gantry.core.image.DiskSpace;
import io.gantry.metrics.agent.AgentMetrics;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.sampling.Sampler;
import io.gantry.metrics.sampling.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FamiliesTest {

    private static final String[] CONTAINER_FAMILIES = {
        "gantry_container_cpu_seconds_total", "gantry_container_memory_used_bytes",
        "gantry_container_memory_limit_bytes", "gantry_container_block_read_bytes_total",
        "gantry_container_block_write_bytes_total", "gantry_container_network_receive_bytes_total",
        "gantry_container_network_transmit_bytes_total", "gantry_container_pids",
        "gantry_metrics_sampled_containers", "gantry_metrics_missed_containers"};

    private static Sample sample(String id, String name, String image, boolean hostNetwork) {
        return new Sample(new Target(ContainerId.of(id), name, image, 1, hostNetwork),
                new ContainerStats(ContainerId.of(id), Instant.EPOCH, 2_500_000_000L, 0, 2, 4096, 8192, 1, 2, 3, 4,
                        5), Sample.Source.KERNEL);
    }

    private static Map<String, String> labels(String id, String name, String image) {
        return Map.of("id", id, "name", name, "image", image);
    }

    @Test
    void containers_everyFigureWithIdNameAndImageLabels() {
        Sampler.Reading reading = new Sampler.Reading(List.of(
                sample("aaaa", "web", "nginx:1.25", false),
                sample("bbbb", "host-agent", "localhost:5000/agent@sha256:" + "0".repeat(64), true)), 1, 1, 2, 0);

        String text = TextFormat.write(Families.containers(reading));

        assertThat(ExpositionGrammar.violations(text)).isEmpty();
        Map<String, Exposition.Parsed> parsed = Exposition.parse(text);
        assertThat(parsed.keySet()).containsExactlyInAnyOrder(CONTAINER_FAMILIES);
        assertThat(parsed.get("gantry_container_cpu_seconds_total").samples())
                .containsEntry(labels("aaaa", "web", "nginx:1.25"), 2.5);
        assertThat(parsed.get("gantry_container_memory_used_bytes").samples()).hasSize(2);
        assertThat(parsed.get("gantry_container_pids").samples()).containsEntry(labels("aaaa", "web",
                "nginx:1.25"), 5.0);
        // host networking: no network figures of its own
        assertThat(parsed.get("gantry_container_network_receive_bytes_total").samples())
                .containsOnlyKeys(labels("aaaa", "web", "nginx:1.25"));
        assertThat(parsed.get("gantry_metrics_sampled_containers").samples())
                .containsEntry(Map.of("path", "kernel"), 1.0).containsEntry(Map.of("path", "engine_api"), 1.0);
        assertThat(parsed.get("gantry_metrics_missed_containers").samples()).containsEntry(Map.of(), 2.0);
    }

    @Test
    void agent_everyFigureOfGantryItself() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MutableClock clock = new MutableClock(start);
        AgentMetrics agent = new AgentMetrics(clock);
        clock.now = start.plus(Duration.ofMillis(90_500));
        agent.mqttConnected().set(true);
        agent.mqttReconnects().add(2);
        agent.messagesReceived().add(7);
        agent.messagesRefused().add(3);
        agent.messagesPublished().add(11);
        agent.twinResyncs().increment();
        agent.updateOperations("COMPLETED").increment();
        agent.updateOperations("completed").increment();
        agent.updateOperations("rollback_failure").increment();
        agent.engineAvailable().set(true);

        List<MetricFamily> families = new ArrayList<>(Families.agent(agent));
        String text = TextFormat.write(families);

        assertThat(ExpositionGrammar.violations(text)).isEmpty();
        Map<String, Exposition.Parsed> parsed = Exposition.parse(text);
        assertThat(parsed.get("gantry_uptime_seconds").samples()).containsEntry(Map.of(), 90.5);
        assertThat(parsed.get("gantry_mqtt_connected").samples()).containsEntry(Map.of(), 1.0);
        assertThat(parsed.get("gantry_mqtt_reconnects_total").samples()).containsEntry(Map.of(), 2.0);
        assertThat(parsed.get("gantry_mqtt_messages_received_total").samples()).containsEntry(Map.of(), 7.0);
        assertThat(parsed.get("gantry_mqtt_messages_refused_total").samples()).containsEntry(Map.of(), 3.0);
        assertThat(parsed.get("gantry_mqtt_messages_published_total").samples()).containsEntry(Map.of(), 11.0);
        assertThat(parsed.get("gantry_mqtt_publish_failures_total").samples()).containsEntry(Map.of(), 0.0);
        assertThat(parsed.get("gantry_twin_resyncs_total").samples()).containsEntry(Map.of(), 1.0);
        assertThat(parsed.get("gantry_update_operations_total").samples())
                .containsEntry(Map.of("result", "completed"), 2.0)
                .containsEntry(Map.of("result", "rollback_failure"), 1.0);
        assertThat(parsed.get("gantry_engine_available").samples()).containsEntry(Map.of(), 1.0);
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void disk_dataRootImagesAndReclaimable_validExposition() {
        DiskFigures figures = new DiskFigures(Optional.of(
                new DiskSpace(Path.of("/var/lib/docker"), 1024, 4096)), 3, 512);

        String text = TextFormat.write(Families.disk(figures));

        assertThat(ExpositionGrammar.violations(text)).isEmpty();
        Map<String, Exposition.Parsed> parsed = Exposition.parse(text);
        assertThat(parsed.get("gantry_engine_data_root_free_bytes").samples())
                .containsEntry(Map.of("path", "/var/lib/docker"), 1024.0);
        assertThat(parsed.get("gantry_engine_data_root_size_bytes").samples())
                .containsEntry(Map.of("path", "/var/lib/docker"), 4096.0);
        assertThat(parsed.get("gantry_engine_images").samples()).containsEntry(Map.of(), 3.0);
        assertThat(parsed.get("gantry_engine_images_reclaimable_bytes").samples()).containsEntry(Map.of(), 512.0);
        assertThat(Families.disk(new DiskFigures(Optional.empty(), 0, 0)))
                .extracting(MetricFamily::name)
                .containsExactly("gantry_engine_images", "gantry_engine_images_reclaimable_bytes");
    }
}

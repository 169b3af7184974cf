package io.gantry.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.TestImages;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.StopOptions;
import io.gantry.metrics.agent.AgentMetrics;
import io.gantry.metrics.prometheus.PrometheusEndpoint;
import io.gantry.metrics.report.MetricsReporter;
import io.gantry.metrics.request.MetricFilter;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.sampling.HostPaths;
import io.gantry.metrics.sampling.KernelStats;
import io.gantry.metrics.sampling.CgroupLocator;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import io.gantry.metrics.snapshot.CpuUsage;
import io.gantry.metrics.snapshot.Measurement;
import io.gantry.metrics.snapshot.MeasurementId;
import io.gantry.metrics.snapshot.Snapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics module on the real Docker adapter: the roster follows the engine's events, the API path reads through
 * docker-java, both paths agree, and the Prometheus endpoint serves the real containers.
 */
class MetricsDockerIT {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final String RUN = "metrics-docker-" + UUID.randomUUID().toString().substring(0, 8);

    private static DockerContainerEngine engine;
    private static final List<ContainerId> created = new CopyOnWriteArrayList<>();
    private static ContainerId busy;

    private final List<Snapshot> published = new CopyOnWriteArrayList<>();
    private MetricsReporter reporter;

    @BeforeAll
    static void startEngine() {
        TestImages.ensureBusybox(null);
        engine = new DockerContainerEngine(() -> AgentConfig.DEFAULTS);
        busy = run("busy", List.of("sh", "-c", "while :; do :; done"));
    }

    @AfterAll
    static void removeContainers() {
        for (ContainerId id : created) {
            try {
                engine.remove(id, true);
            } catch (RuntimeException e) {
                // already gone
            }
        }
        engine.close();
    }

    @AfterEach
    void stopReporter() {
        if (reporter != null) {
            reporter.close();
        }
    }

    private static ContainerId run(String name, List<String> cmd) {
        ContainerSpec.Builder spec = ContainerSpec.builder(ImageRef.parse(TestImages.BUSYBOX))
                .name(new ContainerName(RUN + "-" + name));
        if (!cmd.isEmpty()) {
            spec.cmd(cmd);
        }
        ContainerId id = engine.create(spec.build(), Map.of("io.gantry.test", RUN));
        created.add(id);
        engine.start(id);
        return id;
    }

    private List<String> originators(Snapshot s) {
        return s.entries().stream().map(ContainerMeasurements::originator).toList();
    }

    private Snapshot last() {
        return published.get(published.size() - 1);
    }

    @Test
    void roster_followsTheEnginesEvents() {
        reporter = MetricsReporter.start(engine, HostPaths.DEFAULT, published::add, SECOND, Clock.systemUTC());
        String busyOriginator = ContainerMeasurements.originatorOf(busy);
        reporter.request(MetricsRequest.of(SECOND, MetricFilter.of(busyOriginator, "cpu.*"),
                MetricFilter.of("", "pids")));
        await().atMost(20, TimeUnit.SECONDS).until(() -> !published.isEmpty()
                && originators(last()).contains(busyOriginator));

        ContainerId late = run("late", List.of());
        String lateOriginator = ContainerMeasurements.originatorOf(late);
        await().atMost(20, TimeUnit.SECONDS).until(() -> originators(last()).contains(lateOriginator));

        engine.stop(late, StopOptions.DEFAULT);
        await().atMost(30, TimeUnit.SECONDS).until(() -> !originators(last()).contains(lateOriginator));

        List<Double> cpu = published.stream().flatMap(s -> s.entries().stream())
                .filter(e -> e.originator().equals(busyOriginator))
                .flatMap(e -> e.measurements().stream())
                .filter(m -> m.id() == MeasurementId.CPU_UTILIZATION).map(Measurement::value).toList();
        // One busy core is 100 / online CPUs (Kanto's share of the machine, docs/metrics.md); other builds on a
        // shared host can take part of it.
        double oneCore = 100.0 / engine.stats(busy).onlineCpus();
        assertThat(cpu).isNotEmpty().allSatisfy(v -> assertThat(v).isBetween(0.15 * oneCore, 1.1 * oneCore));
    }

    @Test
    void apiPathThroughTheAdapter_agreesWithTheKernelPath() throws Exception {
        CgroupLocator locator = CgroupLocator.detect(HostPaths.DEFAULT);
        KernelStats kernel = KernelStats.open(HostPaths.DEFAULT);
        var target = io.gantry.metrics.sampling.Target.from(engine.inspect(busy).orElseThrow());
        var files = locator.locate(busy, target.pid(), target.hostNetwork()).orElseThrow();

        ContainerStats k1 = kernel.read(busy, files, kernel.readHost(), Instant.now());
        ContainerStats a1 = engine.stats(busy);
        Thread.sleep(2000); // a measuring interval, not a wait for a condition
        ContainerStats k2 = kernel.read(busy, files, kernel.readHost(), Instant.now());
        ContainerStats a2 = engine.stats(busy);

        double kernelCpu = CpuUsage.percent(k1, k2).orElseThrow();
        double apiCpu = CpuUsage.percent(a1, a2).orElseThrow();
        assertThat(apiCpu).isCloseTo(kernelCpu, org.assertj.core.data.Offset.offset(10.0 / k2.onlineCpus()));
        assertThat(a2.memoryLimit()).isEqualTo(k2.memoryLimit());
        assertThat((double) a2.memoryUsed()).isCloseTo(k2.memoryUsed(),
                org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(a2.pids()).isEqualTo(k2.pids());
        assertThat(a2.onlineCpus()).isEqualTo(k2.onlineCpus());
    }

    @Test
    void engineOnlyReporter_readsThroughTheAdapter() {
        reporter = MetricsReporter.startEngineOnly(engine, published::add, SECOND, Clock.systemUTC());
        String busyOriginator = ContainerMeasurements.originatorOf(busy);
        reporter.request(MetricsRequest.of(SECOND, MetricFilter.of(busyOriginator)));

        await().atMost(30, TimeUnit.SECONDS).until(() -> published.size() >= 3);

        List<MeasurementId> ids = new ArrayList<>();
        last().entries().get(0).measurements().forEach(m -> ids.add(m.id()));
        assertThat(ids).contains(MeasurementId.MEMORY_TOTAL, MeasurementId.MEMORY_USED, MeasurementId.PIDS);
        assertThat(published).allSatisfy(s -> assertThat(originators(s)).containsExactly(busyOriginator));
    }

    @Test
    void prometheusEndpoint_servesTheRealContainers() throws Exception {
        reporter = MetricsReporter.start(engine, HostPaths.DEFAULT, s -> { }, SECOND, Clock.systemUTC());
        AgentMetrics agent = new AgentMetrics(Clock.systemUTC());
        try (PrometheusEndpoint endpoint = PrometheusEndpoint.start("127.0.0.1:0", reporter, agent)) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
            // labels in name order, as the Prometheus client writes them
            String label = "id=\"" + busy.value() + "\",image=\"" + TestImages.BUSYBOX + "\",name=\"" + RUN
                    + "-busy\"";
            await().atMost(20, TimeUnit.SECONDS).until(() -> http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("gantry_container_cpu_seconds_total{"
                    + label + "}"));
            String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("gantry_container_memory_used_bytes{" + label + "}")
                    .contains("gantry_metrics_sampled_containers{path=\"kernel\"}")
                    .contains("# TYPE gantry_engine_available gauge");
        }
    }
}

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
import org.junit.jupiter.api.TestInstance;

/**
 * The metrics module on the real Docker adapter: the roster follows the engine's events, the API path reads through
 * docker-java, both paths agree, and the Prometheus endpoint serves the real containers. One instance per class, so
 * that a subclass ({@link MetricsPodmanIT}) can run all of it on another engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsDockerIT {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final String RUN = "metrics-docker-" + UUID.randomUUID().toString().substring(0, 8);

    private DockerContainerEngine engine;
    private final List<ContainerId> created = new CopyOnWriteArrayList<>();
    private ContainerId busy;

    private final List<Snapshot> published = new CopyOnWriteArrayList<>();
    private MetricsReporter reporter;

    @BeforeAll
    void startEngine() {
        String host = startEngineHost();
        TestImages.ensureBusybox(host);
        AgentConfig config = host == null ? AgentConfig.DEFAULTS
                : AgentConfig.DEFAULTS.withEngine(AgentConfig.DEFAULTS.engine().withHost(host));
        engine = new DockerContainerEngine(() -> config);
        busy = run("busy", List.of("sh", "-c", "while :; do :; done"));
    }

    /** Starts the engine under test and returns its URL; null (here): the machine's Docker engine. */
    protected String startEngineHost() {
        return null;
    }

    /** Stops what {@link #startEngineHost} started. */
    protected void stopEngineHost() {
    }

    @AfterAll
    void removeContainers() {
        for (ContainerId id : created) {
            try {
                engine.remove(id, true);
            } catch (RuntimeException e) {
                // already gone
            }
        }
        engine.close();
        stopEngineHost();
    }

    @AfterEach
    void stopReporter() {
        if (reporter != null) {
            reporter.close();
        }
    }

    private ContainerId run(String name, List<String> cmd) {
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
    }

    /**
     * The CPU share the kernel path reports for a container that keeps one core busy agrees with the engine's own
     * figure over the same window. A fixed band around one core cannot hold on a loaded 2-core CI machine: the loop
     * gets less than a core when other builds run, and one 1 s sample can be off by the time that passes between
     * reading the host's and the container's counters. Consecutive samples share their edges, so that error cancels
     * in their mean, which is what is compared.
     */
    @Test
    void cpuShare_ofABusyContainer_agreesWithTheEnginesOwnFigure() {
        String busyOriginator = ContainerMeasurements.originatorOf(busy);
        published.clear();
        ContainerStats before = engine.stats(busy);
        reporter = MetricsReporter.start(engine, HostPaths.DEFAULT, published::add, SECOND, Clock.systemUTC());
        reporter.request(MetricsRequest.of(SECOND, MetricFilter.of(busyOriginator, "cpu.*")));
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> cpuOf(busyOriginator).size() >= 8);
        reporter.close();
        reporter = null;
        ContainerStats after = engine.stats(busy);

        List<Double> cpu = cpuOf(busyOriginator);
        double oneCore = 100.0 / after.onlineCpus();
        double engineShare = engineShare(before, after);
        double reportedMean = cpu.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        // One single-threaded loop never gets more than one core; over many seconds the engine's reading is exact
        // to within its own read delays, hence 5 %.
        assertThat(engineShare).as("the engine's share").isGreaterThan(0).isLessThanOrEqualTo(1.05 * oneCore);
        // Each sample is a share of the machine, Kanto's scale (docs/metrics.md), not docker stats' per-core scale:
        // a single sample may be off by a read delay (see above), never by a factor of the CPU count.
        assertThat(cpu).allSatisfy(v -> assertThat(v).isGreaterThan(0).isLessThan(2 * oneCore));
        // The engine's window brackets the samples' by up to a sample and a stats call at each end, in which the
        // loop's share may differ on a busy machine: a quarter of a core for about 2 s of 10.
        assertThat(reportedMean).as("mean of %s against the engine's %.1f", cpu, engineShare)
                .isCloseTo(engineShare, org.assertj.core.data.Offset.offset(0.25 * oneCore));
    }

    /**
     * The container's CPU time by the engine's own counter over the wall time between the engine's two readings (its
     * {@code read} times), as a share of all cores: the engine's figure, independent of the kernel path's host reading.
     */
    private static double engineShare(ContainerStats before, ContainerStats after) {
        double wallNanos = Duration.between(before.readAt(), after.readAt()).toNanos();
        return (after.cpuTotalNanos() - before.cpuTotalNanos()) / (wallNanos * after.onlineCpus()) * 100.0;
    }

    private List<Double> cpuOf(String originator) {
        return published.stream().flatMap(s -> s.entries().stream())
                .filter(e -> e.originator().equals(originator))
                .flatMap(e -> e.measurements().stream())
                .filter(m -> m.id() == MeasurementId.CPU_UTILIZATION).map(Measurement::value).toList();
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

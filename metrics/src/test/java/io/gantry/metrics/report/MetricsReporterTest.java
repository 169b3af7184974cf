package io.gantry.metrics.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.StopOptions;
import io.gantry.metrics.ProbeEngine;
import io.gantry.metrics.request.MetricFilter;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.sampling.Sampler;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import io.gantry.metrics.snapshot.Measurement;
import io.gantry.metrics.snapshot.MeasurementId;
import io.gantry.metrics.snapshot.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsReporterTest {

    private static final String IMAGE = "gantry-test/busybox:1";
    private static final Duration FAST = Duration.ofMillis(100);

    private final List<Snapshot> published = new CopyOnWriteArrayList<>();
    private FakeContainerEngine fake;
    private ProbeEngine engine;
    private MetricsReporter reporter;
    private ContainerId web;
    private ContainerId db;

    @BeforeEach
    void setUp() {
        fake = new FakeContainerEngine().withImage(IMAGE);
        web = run("web");
        db = run("db");
        fake.create(spec("stopped"), java.util.Map.of()); // created, never started: not sampled
        engine = new ProbeEngine(fake);
        reporter = MetricsReporter.startEngineOnly(engine, published::add, Duration.ofMillis(10), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        engine.releaseAll();
        reporter.close();
    }

    private static ContainerSpec spec(String name) {
        return ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName(name)).build();
    }

    private ContainerId run(String name) {
        ContainerId id = fake.create(spec(name), java.util.Map.of());
        fake.start(id);
        return id;
    }

    private static String originator(ContainerId id) {
        return ContainerMeasurements.originatorOf(id);
    }

    private static List<String> originators(Snapshot s) {
        return s.entries().stream().map(ContainerMeasurements::originator).toList();
    }

    /** Everything handed to the metrics thread so far has run. */
    private void settle() throws Exception {
        reporter.activeRequest().get(5, TimeUnit.SECONDS);
    }

    @Test
    void idle_withoutRequestOrScrapes_readsNothing() throws Exception {
        settle();

        assertThat(engine.statsCalls()).isZero();
        assertThat(engine.listCalls()).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void request_reportsRunningContainersInNameOrderWithCpuFromTheFirstTick() throws Exception {
        reporter.request(MetricsRequest.of(FAST));

        await().atMost(5, TimeUnit.SECONDS).until(() -> published.size() >= 3);
        Snapshot first = published.get(0);
        assertThat(originators(first)).containsExactly(originator(db), originator(web));
        for (ContainerMeasurements entry : first.entries()) {
            assertThat(entry.measurements()).extracting(Measurement::id).containsExactly(
                    MeasurementId.CPU_UTILIZATION, MeasurementId.MEMORY_TOTAL, MeasurementId.MEMORY_USED,
                    MeasurementId.MEMORY_UTILIZATION, MeasurementId.IO_READ_BYTES, MeasurementId.IO_WRITE_BYTES,
                    MeasurementId.NET_READ_BYTES, MeasurementId.NET_WRITE_BYTES, MeasurementId.PIDS);
        }
        assertThat(first.timestamp()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset
                .offset(5L));
    }

    @Test
    void request_stop_endsTheData() throws Exception {
        reporter.request(MetricsRequest.of(FAST));
        await().atMost(5, TimeUnit.SECONDS).until(() -> published.size() >= 2);

        reporter.request(MetricsRequest.STOP);
        settle();
        int count = published.size();

        await().during(Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS).until(() -> published.size() == count);
        assertThat(reporter.activeRequest().get()).isEmpty();
    }

    @Test
    void request_belowMinimum_isRaisedToIt() throws Exception {
        reporter.minFrequency(Duration.ofMillis(700));
        reporter.request(MetricsRequest.of(Duration.ofMillis(5)));

        assertThat(reporter.activeRequest().get().orElseThrow().frequency()).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void request_new_replacesTheOld() throws Exception {
        reporter.request(MetricsRequest.of(FAST, MetricFilter.of(originator(web))));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !published.isEmpty());
        assertThat(published).allSatisfy(s -> assertThat(originators(s)).containsExactly(originator(web)));

        reporter.request(MetricsRequest.of(FAST, MetricFilter.of(originator(db), "pids")));
        settle();
        int before = published.size();
        await().atMost(5, TimeUnit.SECONDS).until(() -> published.size() >= before + 2);

        for (Snapshot s : published.subList(before, published.size())) {
            assertThat(originators(s)).containsExactly(originator(db));
            assertThat(s.entries().get(0).measurements()).extracting(Measurement::id)
                    .containsExactly(MeasurementId.PIDS);
        }
    }

    @Test
    void request_filterForOtherOriginator_sendsNothingAndReadsNothing() throws Exception {
        reporter.request(MetricsRequest.of(FAST, MetricFilter.of("test.process")));

        await().during(Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS).until(published::isEmpty);
        assertThat(engine.statsCalls()).isZero();
    }

    @Test
    void engineEvents_containersJoinAndLeaveTheReport() throws Exception {
        reporter.request(MetricsRequest.of(FAST, MetricFilter.of("", "pids")));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !published.isEmpty());

        ContainerId cache = run("cache");
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                originators(published.get(published.size() - 1)).contains(originator(cache)));

        fake.stop(web, StopOptions.DEFAULT);
        await().atMost(5, TimeUnit.SECONDS).until(() -> originators(published.get(published.size() - 1))
                .equals(List.of(originator(cache), originator(db))));
    }

    @Test
    void slowContainer_isLeftOutWithoutHoldingUpTheOthersOrPilingUpCalls() throws Exception {
        engine.hang(web);
        reporter.request(MetricsRequest.of(FAST, MetricFilter.of("", "pids")));

        await().atMost(10, TimeUnit.SECONDS).until(() -> published.size() >= 5);

        assertThat(published).allSatisfy(s -> assertThat(originators(s)).containsExactly(originator(db)));
        assertThat(engine.statsCalls(web)).isEqualTo(1); // still running: never asked again
    }

    @Test
    void sinkFailure_isLoggedAndTheNextTickCarriesOn() throws Exception {
        List<Snapshot> received = new CopyOnWriteArrayList<>();
        reporter.close();
        reporter = MetricsReporter.startEngineOnly(engine, s -> {
            received.add(s);
            throw new IllegalStateException("broker gone");
        }, Duration.ofMillis(10), Clock.systemUTC());

        reporter.request(MetricsRequest.of(FAST));

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() >= 3);
    }

    @Test
    void figures_whileServed_readEveryRunningContainer() throws Exception {
        reporter.serveFigures(true);

        await().atMost(5, TimeUnit.SECONDS).until(() -> reporter.figures().get().samples().size() == 2);
        Sampler.Reading reading = reporter.figures().get();
        assertThat(reading.samples()).extracting(Sample::target).extracting(t -> t.name())
                .containsExactly("db", "web");
        assertThat(reading.engineApi()).isEqualTo(2);

        reporter.serveFigures(false);
        assertThat(reporter.figures().get().samples()).isEmpty();
    }

    @Test
    void close_stopsTheReport() throws Exception {
        reporter.request(MetricsRequest.of(FAST));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !published.isEmpty());

        reporter.close();
        int count = published.size();

        await().during(Duration.ofMillis(400)).atMost(2, TimeUnit.SECONDS).until(() -> published.size() == count);
        assertThat(reporter.figures()).isCompletedExceptionally();
    }
}

package io.gantry.metrics.sampling;

import static io.gantry.metrics.sampling.HostFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.metrics.ProbeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTest {

    private static final String IMAGE = "gantry-test/busybox:1";

    @TempDir
    Path dir;

    private final ExecutorService pool = Threads.pool("test-metrics-api", 4);
    private FakeContainerEngine fake;
    private ProbeEngine engine;
    private Target onHost;
    private Target elsewhere;

    @BeforeEach
    void setUp() {
        fake = new FakeContainerEngine().withImage(IMAGE);
        ContainerId remote = fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE))
                .name(new ContainerName("remote")).build(), Map.of());
        fake.start(remote);
        engine = new ProbeEngine(fake);
        onHost = new Target(ContainerId.of(ID), "local", IMAGE, 4242, false);
        elsewhere = Target.from(fake.inspect(remote).orElseThrow());
    }

    @AfterEach
    void tearDown() {
        engine.releaseAll();
        Threads.shutdown(pool, 2);
    }

    @Test
    void read_containerWithCgroup_fromKernel_othersFromTheApi() {
        Sampler sampler = Sampler.create(HostFixture.copy("v1-cgroupfs", dir), engine, pool, Clock.systemUTC());

        Sampler.Reading reading = sampler.read(List.of(onHost, elsewhere), Duration.ofSeconds(5));

        assertThat(reading.samples()).extracting(Sample::source)
                .containsExactly(Sample.Source.KERNEL, Sample.Source.ENGINE_API);
        assertThat(reading.samples().get(0).stats().cpuTotalNanos()).isEqualTo(23943162L);
        assertThat(reading.kernel()).isEqualTo(1);
        assertThat(reading.engineApi()).isEqualTo(1);
        assertThat(engine.statsCalls(onHost.id())).isZero();
    }

    @Test
    void read_vanishedCgroup_leavesTheContainerOutWithoutAskingTheApi() throws Exception {
        HostPaths paths = HostFixture.copy("v1-cgroupfs", dir);
        Sampler sampler = Sampler.create(paths, engine, pool, Clock.systemUTC());
        sampler.read(List.of(onHost), Duration.ofSeconds(5));
        Files.delete(paths.cgroupRoot().resolve("cpuacct/docker/" + ID + "/cpuacct.usage"));

        Sampler.Reading reading = sampler.read(List.of(onHost, elsewhere), Duration.ofSeconds(5));

        assertThat(reading.samples()).extracting(s -> s.target().name()).containsExactly("remote");
        assertThat(reading.missed()).isEqualTo(1);
        assertThat(engine.statsCalls(onHost.id())).isZero();
    }

    @Test
    void read_unreadableKernelFigures_fallBackToTheApi() throws Exception {
        HostPaths paths = HostFixture.copy("v1-cgroupfs", dir);
        Files.writeString(paths.cgroupRoot().resolve("cpuacct/docker/" + ID + "/cpuacct.usage"), "garbage\n");
        Sampler sampler = Sampler.create(paths, engine, pool, Clock.systemUTC());

        sampler.read(List.of(onHost), Duration.ofSeconds(5));
        sampler.read(List.of(onHost), Duration.ofSeconds(5));

        // the fake engine does not know this container, so the API has nothing either; but it was asked each time
        assertThat(engine.statsCalls(onHost.id())).isEqualTo(2);
    }

    @Test
    void read_noCgroupTree_everythingFromTheApi() {
        Sampler sampler = Sampler.create(new HostPaths(dir.resolve("x"), dir.resolve("y")), engine, pool,
                Clock.systemUTC());

        Sampler.Reading reading = sampler.read(List.of(elsewhere), Duration.ofSeconds(5));

        assertThat(reading.engineApi()).isEqualTo(1);
        assertThat(reading.kernel()).isZero();
    }

    @Test
    void read_slowApiAnswer_standsInTheNextReading() {
        Sampler sampler = Sampler.engineOnly(engine, pool, Clock.systemUTC());
        engine.hang(elsewhere.id());
        Sampler.Reading first = sampler.read(List.of(elsewhere), Duration.ofMillis(100));
        engine.releaseAll();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                sampler.read(List.of(elsewhere), Duration.ofMillis(100)).engineApi() == 1);

        Sampler.Reading later = sampler.read(List.of(elsewhere), Duration.ofSeconds(5));

        assertThat(first.samples()).isEmpty();
        assertThat(later.samples()).extracting(Sample::source).containsExactly(Sample.Source.ENGINE_API);
    }

    @Test
    void read_hangingApiCall_isCutAtTheDeadlineAndNotRepeated() {
        Sampler sampler = Sampler.engineOnly(engine, pool, Clock.systemUTC());
        engine.hang(elsewhere.id());

        long start = System.nanoTime();
        Sampler.Reading first = sampler.read(List.of(elsewhere), Duration.ofMillis(200));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        Sampler.Reading second = sampler.read(List.of(elsewhere), Duration.ofMillis(200));

        assertThat(first.samples()).isEmpty();
        assertThat(first.missed()).isEqualTo(1);
        assertThat(tookMillis).isLessThan(5_000);
        assertThat(second.busy()).isEqualTo(1);
        assertThat(engine.statsCalls(elsewhere.id())).isEqualTo(1);
    }
}

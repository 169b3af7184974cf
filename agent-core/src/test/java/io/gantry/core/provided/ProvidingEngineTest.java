package io.gantry.core.provided;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gantry's own mounts: added at create from the labels, only Gantry's directories on the host side, recorded and taken
 * out of the spec again when read, kept across a recreation, and the metrics directory removed when no container uses
 * it any more.
 */
class ProvidingEngineTest {

    @TempDir
    Path stateDir;
    private final FakeContainerEngine fake = new FakeContainerEngine().withImage("app:1");

    private static ContainerSpec spec(String name, Map<String, String> labels, Mount... mounts) {
        return ContainerSpec.builder(ImageRef.parse("app:1")).name(new ContainerName(name)).labels(labels)
                .mounts(List.of(mounts)).build();
    }

    @Test
    void theLabels_getTheTimeDirectoryReadOnly_andAMetricsDirectoryOfItsOwn_andReadsShowTheSpecAsAsked() throws Exception {
        ProvidingEngine engine = new ProvidingEngine(fake, stateDir);
        Mount own = Mount.bind("/srv/data", "/data");
        ContainerSpec asked = spec("web", Map.of(ProvidingEngine.TIME_LABEL, "/host",
                ProvidingEngine.METRICS_LABEL, "/metrics"), own);

        ContainerId id = engine.create(asked, Map.of());

        Container onTheEngine = fake.inspect(id).orElseThrow();
        assertThat(onTheEngine.spec().mounts()).containsExactlyInAnyOrder(own,
                new Mount(stateDir.resolve("time").toString(), "/host", io.gantry.core.container.Propagation.RPRIVATE,
                        true),
                new Mount(stateDir.resolve("metrics/web").toString(), "/metrics",
                        io.gantry.core.container.Propagation.RPRIVATE, false));
        assertThat(onTheEngine.gantryLabels()).containsEntry(ProvidingEngine.PROVIDED_LABEL, "/host,/metrics")
                .containsEntry(ProvidingEngine.PROVIDED_METRICS_LABEL, "web");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("metrics/web"))))
                .isEqualTo("rwxrwxrwx");
        assertThat(engine.inspect(id).orElseThrow().spec()).isEqualTo(asked);
        assertThat(engine.list()).singleElement().satisfies(c -> assertThat(c.spec()).isEqualTo(asked));
        assertThat(engine.find("web").orElseThrow().spec()).isEqualTo(asked);
    }

    @Test
    void withoutTheLabels_nothingIsAdded() {
        ProvidingEngine engine = new ProvidingEngine(fake, stateDir);
        ContainerId id = engine.create(spec("plain", Map.of()), Map.of());

        assertThat(fake.inspect(id).orElseThrow().spec().mounts()).isEmpty();
        assertThat(fake.inspect(id).orElseThrow().gantryLabels()).doesNotContainKey(ProvidingEngine.PROVIDED_LABEL);
        assertThat(stateDir.resolve("metrics")).doesNotExist();
    }

    @Test
    void aReplacementUnderATemporaryName_getsTheDirectoryOfItsComponent() {
        ProvidingEngine engine = new ProvidingEngine(fake, stateDir);
        ContainerId id = engine.create(spec("web-gantry-new", Map.of(ProvidingEngine.METRICS_LABEL, "/metrics")),
                Map.of(Container.COMPONENT_LABEL, "web"));

        assertThat(fake.inspect(id).orElseThrow().gantryLabel(ProvidingEngine.PROVIDED_METRICS_LABEL)).contains("web");
        assertThat(stateDir.resolve("metrics/web")).isDirectory();
    }

    @Test
    void labelValuesThatAreNotAPlaceInTheContainer_areRefusedNamingTheLabel_andNothingIsCreated() {
        ProvidingEngine engine = new ProvidingEngine(fake, stateDir);
        record Bad(Map<String, String> labels, String message) {
        }
        List<Bad> bad = List.of(
                new Bad(Map.of(ProvidingEngine.TIME_LABEL, "host"), "label gantry.time.status \"host\" is not an"
                        + " absolute, normalised directory in the container other than /"),
                new Bad(Map.of(ProvidingEngine.TIME_LABEL, "/"), "label gantry.time.status \"/\" is not an absolute,"
                        + " normalised directory in the container other than /"),
                new Bad(Map.of(ProvidingEngine.METRICS_LABEL, "/a/../etc"), "label gantry.metrics.dir \"/a/../etc\" is"
                        + " not an absolute, normalised directory in the container other than /"),
                new Bad(Map.of(ProvidingEngine.METRICS_LABEL, "/a,b"), "label gantry.metrics.dir \"/a,b\" is not an"
                        + " absolute, normalised directory in the container other than /"),
                new Bad(Map.of(ProvidingEngine.METRICS_LABEL, "/data"), "label gantry.metrics.dir \"/data\" is already"
                        + " the destination of a mount of the container"),
                new Bad(Map.of(ProvidingEngine.TIME_LABEL, "/host", ProvidingEngine.METRICS_LABEL, "/host"),
                        "gantry.time.status and gantry.metrics.dir name the same directory /host"));
        for (Bad b : bad) {
            assertThatThrownBy(() -> engine.create(spec("x", b.labels(), Mount.bind("/srv/data", "/data")), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(b.message());
        }
        assertThat(fake.list()).isEmpty();
    }

    @Test
    void theCleanup_removesTheDirectoriesOfContainersThatAreGone_afterTheirGrace() throws Exception {
        ProvidingEngine engine = new ProvidingEngine(fake, stateDir);
        ContainerId gone = engine.create(spec("gone", Map.of(ProvidingEngine.METRICS_LABEL, "/m")), Map.of());
        engine.create(spec("kept", Map.of(ProvidingEngine.METRICS_LABEL, "/m")), Map.of());
        Files.writeString(stateDir.resolve("metrics/gone/metrics.prom"), "x 1\n");
        Files.createSymbolicLink(stateDir.resolve("metrics/gone/link"), stateDir.resolve("metrics/kept"));
        fake.remove(gone, true);
        Path fresh = Files.createDirectories(stateDir.resolve("metrics/being-created"));
        Instant now = Instant.now().plus(ProvidedCleanup.GRACE).plusSeconds(1);
        Files.setLastModifiedTime(fresh, FileTime.from(now));

        ProvidedCleanup cleanup = new ProvidedCleanup(engine, stateDir, Clock.fixed(now, ZoneOffset.UTC));
        cleanup.sweep();
        cleanup.close();

        assertThat(stateDir.resolve("metrics/gone")).doesNotExist();
        assertThat(stateDir.resolve("metrics/kept")).isDirectory();
        assertThat(fresh).isDirectory();
    }
}

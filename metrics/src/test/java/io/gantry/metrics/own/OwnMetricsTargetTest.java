package io.gantry.metrics.own;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.provided.ProvidingEngine;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** From a container's labels, mounts and ports to where its own metrics are read. */
class OwnMetricsTargetTest {

    private static final Path STATE = Path.of("/var/lib/gantry");

    static Container container(String name, ContainerSpec.Builder spec) {
        return new Container(ContainerId.of("c0ffee" + name.hashCode()), new ContainerName(name),
                ImageRef.parse("gantry-test/busybox:1"), "sha256:1", spec.build(), ContainerState.created(),
                Instant.EPOCH, false, Map.of());
    }

    static ContainerSpec.Builder spec(Map<String, String> labels) {
        return ContainerSpec.builder(ImageRef.parse("gantry-test/busybox:1")).labels(labels);
    }

    @Test
    void noLabels_nothingToRead() {
        assertThat(OwnMetricsTarget.of(container("a", spec(Map.of())), STATE)).isEqualTo(
                new OwnMetricsTarget.Resolved(Optional.empty(), Optional.empty()));
    }

    @Test
    void aFile_isFoundOnTheHostThroughTheDeepestBindMount() {
        Container c = container("a", spec(Map.of(OwnMetricsTarget.FILE_LABEL, "/host/metrics/app.prom")).mounts(List.of(
                Mount.bind("/var/lib/app", "/host"), Mount.bind("/var/lib/gantry/metrics/a", "/host/metrics"))));

        assertThat(OwnMetricsTarget.of(c, STATE).target())
                .contains(new OwnMetricsTarget.File(Path.of("/var/lib/gantry/metrics/a/app.prom"),
                        Path.of("/var/lib/gantry/metrics/a")));
    }

    @Test
    void aProvidedDirectory_isReadInGantrysOwnDirectoryOfTheContainer_evenUnderATemporaryName() {
        Container byDefault = new Container(ContainerId.of("c0ffee1"), new ContainerName("web-gantry-new"),
                ImageRef.parse("gantry-test/busybox:1"), "sha256:1",
                spec(Map.of(OwnMetricsTarget.DIR_LABEL, "/metrics")).build(), ContainerState.created(), Instant.EPOCH,
                true, Map.of(ProvidingEngine.PROVIDED_METRICS_LABEL, "web"));
        Container named = new Container(ContainerId.of("c0ffee2"), new ContainerName("app"),
                ImageRef.parse("gantry-test/busybox:1"), "sha256:1", spec(Map.of(OwnMetricsTarget.DIR_LABEL,
                "/metrics", OwnMetricsTarget.FILE_LABEL, "/metrics/sub/app.prom")).build(), ContainerState.created(),
                Instant.EPOCH, true, Map.of(ProvidingEngine.PROVIDED_METRICS_LABEL, "app"));

        assertThat(OwnMetricsTarget.of(byDefault, STATE).target()).contains(new OwnMetricsTarget.File(
                Path.of("/var/lib/gantry/metrics/web/metrics.prom"), Path.of("/var/lib/gantry/metrics/web")));
        assertThat(OwnMetricsTarget.of(named, STATE).target()).contains(new OwnMetricsTarget.File(
                Path.of("/var/lib/gantry/metrics/app/sub/app.prom"), Path.of("/var/lib/gantry/metrics/app")));
        assertThat(problem(spec(Map.of(OwnMetricsTarget.DIR_LABEL, "/metrics"))))
                .isEqualTo("gantry.metrics.dir is provided only to containers Gantry creates (this one was created"
                        + " without it, or by hand)");
    }

    @Test
    void aPort_isScrapedWhereItIsPublished_orOnTheHostWithHostNetworking() {
        Container published = container("a", spec(Map.of(OwnMetricsTarget.PORT_LABEL, "8080",
                OwnMetricsTarget.PATH_LABEL, "/stats")).ports(List.of(PortMapping.of(18080, 8080))));
        Container host = container("b", spec(Map.of(OwnMetricsTarget.PORT_LABEL, "9100")).network(NetworkMode.HOST));

        assertThat(OwnMetricsTarget.of(published, STATE).target())
                .contains(new OwnMetricsTarget.Http(URI.create("http://127.0.0.1:18080/stats")));
        assertThat(OwnMetricsTarget.of(host, STATE).target())
                .contains(new OwnMetricsTarget.Http(URI.create("http://127.0.0.1:9100/metrics")));
    }

    @Test
    void badLabels_areProblemsToReport() {
        assertThat(problem(spec(Map.of(OwnMetricsTarget.FILE_LABEL, "/x", OwnMetricsTarget.PORT_LABEL, "1"))))
                .isEqualTo("both gantry.metrics.file and gantry.metrics.port are set; set one");
        assertThat(problem(spec(Map.of(OwnMetricsTarget.FILE_LABEL, "/host/../etc/shadow"))))
                .isEqualTo("gantry.metrics.file \"/host/../etc/shadow\" is not an absolute, normalised path in the"
                        + " container");
        assertThat(problem(spec(Map.of(OwnMetricsTarget.FILE_LABEL, "/data/m.prom"))))
                .isEqualTo("gantry.metrics.file \"/data/m.prom\" is under no bind mount of a host directory");
        assertThat(problem(spec(Map.of(OwnMetricsTarget.PORT_LABEL, "70000"))))
                .isEqualTo("gantry.metrics.port \"70000\" is not a port from 1 to 65535");
        assertThat(problem(spec(Map.of(OwnMetricsTarget.PORT_LABEL, "8080"))))
                .isEqualTo("gantry.metrics.port 8080 is not published on the host (and the container does not use"
                        + " host networking)");
        assertThat(problem(spec(Map.of(OwnMetricsTarget.PORT_LABEL, "8080", OwnMetricsTarget.PATH_LABEL, "metrics"))
                .ports(List.of(PortMapping.of(18080, 8080))))).isEqualTo(
                "gantry.metrics.path \"metrics\" is not a URL path (e.g. /metrics)");
    }

    private static String problem(ContainerSpec.Builder spec) {
        return OwnMetricsTarget.of(container("p", spec), STATE).problem().orElseThrow();
    }
}

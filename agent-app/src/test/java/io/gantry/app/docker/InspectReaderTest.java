package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InspectReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpecLabel specLabel = new SpecLabel(JSON);
    private final InspectReader reader = new InspectReader(specLabel);

    private static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = InspectReaderTest.class.getResourceAsStream("/docker/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    @Test
    void read_handMadeContainerWithOddSettings_derivesASpecLeniently() throws IOException {
        Container c = reader.read(fixture("inspect-handmade.json"));
        ContainerSpec spec = c.spec();

        assertThat(c.managed()).isFalse();
        assertThat(c.name()).isEqualTo(new ContainerName("gx-odd"));
        assertThat(c.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(c.gantryLabels()).isEmpty();
        assertThat(spec.labels()).isEqualTo(Map.of("com.example.team", "edge"));
        assertThat(spec.hostname()).isEqualTo("oddhost");
        assertThat(spec.cmd()).containsExactly("true");
        // "z" (SELinux relabelling) is not modelled and dropped; tmpfs is not a mount Gantry models.
        assertThat(spec.mounts()).containsExactly(Mount.parse("/tmp:/odd:ro"), Mount.parse("/var/tmp:/vt:rslave"));
        assertThat(spec.devices()).containsExactly(DeviceMapping.parse("/dev/null:/dev/xnull:r"));
        assertThat(spec.network()).isEqualTo(NetworkMode.BRIDGE);
        assertThat(spec.ports()).containsExactly(PortMapping.parse("8080-8090:80/tcp"),
                new PortMapping("127.0.0.1", 0, 0, 80, io.gantry.core.container.Protocol.UDP));
        assertThat(spec.extraHosts()).containsExactly(ExtraHost.parse("db:10.0.0.5"));
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.onFailure(4, Duration.ZERO));
        assertThat(spec.log().driver()).isEqualTo("syslog");
        assertThat(spec.log().options()).isEqualTo(Map.of("syslog-address", "udp://127.0.0.1:1"));
        assertThat(spec.resources()).isEqualTo(new Resources(Optional.of(ByteSize.parse("64m")), Optional.empty(),
                Optional.empty(), true, Optional.of(new BigDecimal("1.235")), Optional.empty()));
        assertThat(spec.runtime()).isEqualTo("runc");
    }

    @Test
    void read_handMadeContainerWithTheEnginesDefaultHostName_keepsIt() throws IOException {
        ObjectNode c = fixture("inspect-handmade.json");
        String id = c.path("Id").asText();
        ((ObjectNode) c.path("Config")).put("Hostname", id.substring(0, 12));

        // the spec says what the container has; the twin leaves the default out (ContainerFeatureMapperTest)
        assertThat(reader.read(c).spec().hostname()).isEqualTo(id.substring(0, 12));
    }

    @Test
    void read_containerWithNoConfigAtAll_stillReads() throws IOException {
        ObjectNode bare = (ObjectNode) JSON.readTree("{\"Id\":\"" + "ab".repeat(32) + "\",\"Name\":\"/bare\","
                + "\"Image\":\"sha256:" + "cd".repeat(32) + "\"}");

        Container c = reader.read(bare);

        assertThat(c.name()).isEqualTo(new ContainerName("bare"));
        assertThat(c.image().isImageId()).isTrue();
        assertThat(c.status()).isEqualTo(ContainerStatus.EXITED);
    }

    /** The engine's view of a container created from {@code spec}, as create and update leave it. */
    private ObjectNode managed(ContainerSpec spec, long memory, long swap, long nanoCpus, String restart, int retries)
            throws IOException {
        return managed(spec, memory, 0, swap, nanoCpus, restart, retries);
    }

    private ObjectNode managed(ContainerSpec spec, long memory, long reservation, long swap, long nanoCpus,
                               String restart, int retries) throws IOException {
        ObjectNode c = fixture("inspect-handmade.json");
        ((ObjectNode) c.path("Config").path("Labels")).put(io.gantry.core.container.Container.MANAGED_LABEL, "true")
                .put(SpecLabel.KEY, specLabel.write(spec)).put("io.gantry.test", "x");
        ObjectNode host = (ObjectNode) c.path("HostConfig");
        host.put("Memory", memory).put("MemorySwap", swap).put("NanoCpus", nanoCpus)
                .put("MemoryReservation", reservation);
        host.putObject("RestartPolicy").put("Name", restart).put("MaximumRetryCount", retries);
        return c;
    }

    @Test
    void read_managedContainer_reportsTheRecordedSpecWithTheLiveName() throws IOException {
        ContainerSpec spec = Specs.full();
        long memory = ByteSize.parse("256m").bytes();

        Container c = reader.read(managed(spec, memory, ByteSize.parse("128m").bytes(), -1, 1_500_000_000L,
                "on-failure", 5));

        assertThat(c.managed()).isTrue();
        assertThat(c.spec()).isEqualTo(spec.withName(new ContainerName("gx-odd")));
        assertThat(c.image()).isEqualTo(spec.image());
        assertThat(c.gantryLabels()).isEqualTo(Map.of(Container.MANAGED_LABEL, "true", "io.gantry.test", "x"));
    }

    @Test
    void read_managedContainer_reportsExplicitDefaultSwapAsRecorded() throws IOException {
        ContainerSpec spec = ContainerSpec.builder(Specs.full().image()).resources(new Resources(
                Optional.of(ByteSize.parse("64m")), Optional.empty(), Optional.of(ByteSize.parse("128m")), false,
                Optional.empty(), Optional.empty())).build();

        Container c = reader.read(managed(spec, ByteSize.parse("64m").bytes(), ByteSize.parse("128m").bytes(), 0,
                "unless-stopped", 0));

        assertThat(c.spec().resources()).isEqualTo(spec.resources());
    }

    @Test
    void read_managedContainerAfterAnUpdate_overlaysLiveRestartPolicyAndResources() throws IOException {
        ContainerSpec spec = Specs.full();

        Container c = reader.read(managed(spec, ByteSize.parse("512m").bytes(), ByteSize.parse("1g").bytes(),
                250_000_000L, "on-failure", 2));

        // The retry timeout is Gantry's own (Docker has none) and survives while the policy stays on-failure.
        assertThat(c.spec().restartPolicy()).isEqualTo(RestartPolicy.onFailure(2, Duration.ofSeconds(90)));
        assertThat(c.spec().resources()).isEqualTo(new Resources(Optional.of(ByteSize.parse("512m")),
                Optional.empty(), Optional.empty(), false, Optional.of(new BigDecimal("0.25")),
                spec.resources().gpus()));
        assertThat(c.spec().immutablePart()).isEqualTo(spec.withName(new ContainerName("gx-odd")).immutablePart());
    }

    @Test
    void read_managedContainerWithDamagedLabel_derivesItsSpec() throws IOException {
        ObjectNode c = managed(Specs.full(), 0, 0, 0, "no", 0);
        ((ObjectNode) c.path("Config").path("Labels")).put(SpecLabel.KEY, "{damaged");

        Container read = reader.read(c);

        assertThat(read.managed()).isTrue();
        assertThat(read.spec().log().driver()).isEqualTo("syslog");
        assertThat(read.gantryLabels()).doesNotContainKey(SpecLabel.KEY);
    }

    @Test
    void state_readsTimesHealthAndRestarts() throws IOException {
        JsonNode c = JSON.readTree("{\"RestartCount\":2,\"State\":{\"Status\":\"running\",\"Running\":true,"
                + "\"Pid\":42,\"ExitCode\":0,\"Error\":\"\",\"OOMKilled\":false,"
                + "\"StartedAt\":\"2026-11-21T10:00:00.123456789Z\",\"FinishedAt\":\"0001-01-01T00:00:00Z\","
                + "\"Health\":{\"Status\":\"healthy\"}}}");

        var state = InspectReader.state(c);

        assertThat(state.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(state.pid()).isEqualTo(42);
        assertThat(state.startedAt()).map(Object::toString).contains("2026-11-21T10:00:00.123456789Z");
        assertThat(state.finishedAt()).isEmpty();
        assertThat(state.restartCount()).isEqualTo(2);
        assertThat(state.health()).isEqualTo(io.gantry.core.container.Health.HEALTHY);
    }
}

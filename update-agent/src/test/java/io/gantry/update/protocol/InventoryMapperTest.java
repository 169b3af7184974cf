package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.Health;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.GoldenFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The current state (reference/kanto-cua.md §4): node shape, parameters verbose and not, Kanto's spellings. */
class InventoryMapperTest {

    private static final Instant CREATED = Instant.parse("2024-06-28T07:40:00.123456789Z");

    private static Container container(String name, ContainerSpec.Builder spec, ContainerState state, boolean managed) {
        ContainerSpec built = spec.name(new ContainerName(name)).buildAsReported();
        return new Container(new ContainerId("c0ffee" + name), new ContainerName(name), built.image(), "sha256:1",
                built, state, CREATED, managed, Map.of());
    }

    private static ContainerState running() {
        return new ContainerState(ContainerStatus.RUNNING, 42, 0, "", Optional.of(CREATED), Optional.empty(), false, 0,
                Health.NONE);
    }

    /** The containers of Kanto's §4.4 example, as Gantry reports them. */
    static List<Container> kantoExample() {
        Container influxdb = container("influxdb", ContainerSpec.builder(ImageRef.parse(
                "docker.io/library/influxdb:1.8.4"))
                .restartPolicy(RestartPolicy.onFailure(3, Duration.ofSeconds(30)))
                .addPort(PortMapping.parse("8086:8086/tcp"))
                .resources(Resources.memory(ByteSize.ofMebibytes(200)))
                .mounts(List.of(Mount.parse("/data/influxdb:/var/lib/influxdb")))
                .env(List.of(EnvVar.parse("INFLUXDB_DB=db0"))), running(), true);
        Container hello = container("hello-world", ContainerSpec.builder(ImageRef.parse(
                "docker.io/library/hello-world:latest")).restartPolicy(RestartPolicy.NO),
                new ContainerState(ContainerStatus.EXITED, 0, 0, "", Optional.of(Instant.parse("2024-06-28T07:40:01Z")),
                        Optional.of(Instant.parse("2024-06-28T07:40:02.5Z")), false, 0, Health.NONE), false);
        return List.of(influxdb, hello);
    }

    @Test
    void toInventory_kantoExample_matchesTheGoldenFile() {
        GoldenFiles.assertGolden("currentstate-kanto-example", UpdateCodec.mapper().valueToTree(
                new io.gantry.update.protocol.WireEnvelope("get-42", 1719561700050L, InventoryMapper.toInventory(
                        kantoExample(), UpdateTopics.of("containers"), false, "1.0.0"))));
    }

    @Test
    void toInventory_verbose_matchesTheGoldenFile() {
        GoldenFiles.assertGolden("currentstate-verbose", UpdateCodec.mapper().valueToTree(
                new io.gantry.update.protocol.WireEnvelope("get-43", 1719561700050L, InventoryMapper.toInventory(
                        kantoExample(), UpdateTopics.of("containers"), true, "1.0.0"))));
    }

    @Test
    void toInventory_withoutContainers_hasOnlyTheAgentNode_andNoAssociations() {
        String json = new String(UpdateCodec.encode("x", 0, InventoryMapper.toInventory(List.of(),
                UpdateTopics.of("my-ctrs"), false, "1.0.0")), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"activityId\":\"x\",\"timestamp\":0,\"payload\":{\"softwareNodes\":[{\"id\":"
                + "\"my-ctrs-update-agent\",\"version\":\"1.0.0\",\"name\":\"Gantry Containers Update Agent\","
                + "\"parameters\":[{\"key\":\"domain\",\"value\":\"my-ctrs\"}],\"type\":\"APPLICATION\"}]}}");
    }

    static Stream<Arguments> parameters() {
        return Stream.of(
                // §7.15, §7.16, §7.17 canonical forms
                Arguments.of("port range", ContainerSpec.builder(ImageRef.parse("w")).addPort(
                        PortMapping.parse("5000-6000:80/udp")), "port", "5000-6000:80/udp"),
                Arguments.of("port", ContainerSpec.builder(ImageRef.parse("w")).addPort(PortMapping.parse("80:80")),
                        "port", "80:80/tcp"),
                Arguments.of("port ip", ContainerSpec.builder(ImageRef.parse("w")).addPort(
                        PortMapping.parse("127.0.0.1:8080:80")), "port", "127.0.0.1:8080:80/tcp"),
                Arguments.of("device", ContainerSpec.builder(ImageRef.parse("w")).devices(List.of(
                        DeviceMapping.parse("/dev/ttyACM0:/dev/ttyUSB0"))), "device", "/dev/ttyACM0:/dev/ttyUSB0:rwm"),
                Arguments.of("mount", ContainerSpec.builder(ImageRef.parse("w")).mounts(List.of(Mount.parse("/a:/b"))),
                        "mount", "/a:/b:rprivate"),
                // §7.23
                Arguments.of("timeout 90s", ContainerSpec.builder(ImageRef.parse("w")).restartPolicy(
                        RestartPolicy.onFailure(0, Duration.ofSeconds(90))), "restartTimeout", "1m30s"),
                // §7.22
                Arguments.of("always", ContainerSpec.builder(ImageRef.parse("w")).restartPolicy(RestartPolicy.ALWAYS),
                        "restartPolicy", "always"),
                // §7.30
                Arguments.of("non-blocking", ContainerSpec.builder(ImageRef.parse("w")).log(LogConfig.DEFAULT.withMode(
                        LogConfig.Mode.NON_BLOCKING, Optional.empty())), "logMode", "non-blocking"),
                Arguments.of("network", ContainerSpec.builder(ImageRef.parse("w")).network(NetworkMode.HOST),
                        "network", "host"),
                // sizes as the desired state wrote them, as Kanto echoes them
                Arguments.of("memory as written", ContainerSpec.builder(ImageRef.parse("w")).resources(
                        Resources.memory(ByteSize.parse("300m"))), "memory", "300m"),
                Arguments.of("swap unlimited", ContainerSpec.builder(ImageRef.parse("w")).resources(
                        Resources.memory(ByteSize.ofMebibytes(64)).withMemory(Optional.of(ByteSize.ofMebibytes(64)),
                                Optional.empty(), Optional.empty(), true)), "memorySwap", "-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameters")
    void parameters_useKantosSpelling(String why, ContainerSpec.Builder spec, String key, String value) {
        List<WireKeyValue> parameters = InventoryMapper.parameters(container("web", spec, running(), true), false);
        assertThat(parameters).contains(new WireKeyValue(key, value));
    }

    @Test
    void parameters_s7_30_nonBlockingWithDefaultBuffer_doesNotShowTheBuffer() {
        ContainerSpec.Builder spec = ContainerSpec.builder(ImageRef.parse("w")).log(LogConfig.DEFAULT.withMode(
                LogConfig.Mode.NON_BLOCKING, Optional.empty()));
        assertThat(InventoryMapper.parameters(container("web", spec, running(), true), false))
                .extracting(WireKeyValue::key).doesNotContain("logMaxBufferSize");
    }

    @Test
    void status_usesKantosNames() {
        assertThat(Stream.of(ContainerStatus.values()).map(InventoryMapper::status).toList()).containsExactly(
                "Created", "Running", "Paused", "Exited", "Dead", "Exited", "Dead");
    }

    @Test
    void time_isGoRfc3339Nano() {
        assertThat(InventoryMapper.time(Instant.parse("2024-06-28T07:40:02.500Z"))).isEqualTo("2024-06-28T07:40:02.5Z");
        assertThat(InventoryMapper.time(CREATED)).isEqualTo("2024-06-28T07:40:00.123456789Z");
        assertThat(InventoryMapper.time(Instant.parse("2024-06-28T07:40:00Z"))).isEqualTo("2024-06-28T07:40:00Z");
    }
}

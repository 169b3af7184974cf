package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.ByteSize;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Mount;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreateBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpecLabel specLabel = new SpecLabel(JSON);
    private final CreateBody body = new CreateBody(JSON, specLabel);

    private static JsonNode golden(String name) throws IOException {
        try (InputStream in = CreateBodyTest.class.getResourceAsStream("/docker/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void create_fullSpec_matchesTheGoldenRequest() throws IOException {
        ContainerSpec spec = Specs.full();

        ObjectNode request = body.create(spec, Map.of("io.gantry.test", "golden"),
                h -> h.address().equals("host_ip") ? "host-gateway" : h.address());

        ObjectNode labels = (ObjectNode) request.get("Labels");
        assertThat(specLabel.read(labels.remove(SpecLabel.KEY).asText())).contains(spec.toBuilder()
                .name((io.gantry.core.container.ContainerName) null).buildAsReported());
        assertThat(JSON.readTree(request.toString())).isEqualTo(golden("create-full.json"));
    }

    @Test
    void create_minimalSpec_leavesImageDefaultsAlone() {
        ObjectNode request = body.create(ContainerSpec.builder(ImageRef.parse("busybox")).build(), Map.of(), h -> "");

        assertThat(request.has("Cmd")).isFalse();
        assertThat(request.has("Entrypoint")).isFalse();
        assertThat(request.has("Hostname")).isFalse();
        assertThat(request.path("HostConfig").has("Memory")).isFalse();
        assertThat(request.path("HostConfig").has("Runtime")).isFalse();
        assertThat(request.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("unless-stopped");
        assertThat(request.path("Labels").path("io.gantry.managed").asText()).isEqualTo("true");
    }

    @ParameterizedTest
    @CsvSource({
            "/data:/d, /data:/d",
            "/data:/d:ro, /data:/d:ro",
            "/data:/d:rshared, /data:/d:rshared",
            "'/data:/d:ro,slave', '/data:/d:ro,slave'",
            "/data:/d:rprivate, /data:/d",
            "cache:/c, cache:/c",
            "cache:/c:ro, cache:/c:ro"})
    void bind_writesDockersSyntax(String mount, String bind) {
        assertThat(CreateBody.bind(Mount.parse(mount))).isEqualTo(bind);
    }

    @Test
    void update_newMemoryLimit_setsTheDefaultSwapWithIt() {
        ContainerSpec current = ContainerSpec.builder(ImageRef.parse("busybox"))
                .resources(Resources.memory(ByteSize.parse("64m"))).build();

        ObjectNode request = body.update(new ContainerUpdate(Optional.of(RestartPolicy.parse("on-failure:3")),
                Optional.of(Resources.memory(ByteSize.parse("128m")).withCpus(Optional.of(new BigDecimal("0.25"))))),
                current);

        assertThat(request.toString()).isEqualTo("{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3},"
                + "\"Memory\":134217728,\"NanoCpus\":250000000,\"MemorySwap\":268435456}");
    }

    @ParameterizedTest
    @CsvSource({"memory limit", "memory reservation", "CPU limit"})
    void update_removingALimit_isAConflict(String what) {
        Resources current = switch (what) {
            case "memory limit" -> Resources.memory(ByteSize.parse("64m"));
            case "memory reservation" -> Resources.NONE.withMemory(Optional.empty(),
                    Optional.of(ByteSize.parse("32m")), Optional.empty(), false);
            default -> Resources.NONE.withCpus(Optional.of(BigDecimal.ONE));
        };
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse("busybox")).resources(current).build();

        assertThatThrownBy(() -> body.update(new ContainerUpdate(Optional.empty(), Optional.of(Resources.NONE)), spec))
                .isInstanceOf(ContainerConflictException.class).hasMessageContaining(what);
    }
}

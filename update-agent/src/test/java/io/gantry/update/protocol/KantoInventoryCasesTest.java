package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.golden.KantoCases;
import io.gantry.update.desired.ImageVersions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kanto's inventory cases ({@code kanto-cases/kanto-cm/cua-unit.json}, {@code inventory_parameters}): the container a
 * desired state's keys give lists the parameters Kanto lists for it (besides image, status and created), and the
 * version Kanto finds in its image. Two cases differ on purpose (docs/update-agent.md, Kanto's own test cases).
 */
class KantoInventoryCasesTest {

    private static final JsonNode CASES = KantoCases.read("kanto-cm/cua-unit.json").path("inventory_parameters");
    /** Gantry's parameters that Kanto's node does not have, or that the cases leave out (state, times). */
    private static final Set<String> NOT_IN_THE_CASES = Set.of("image", "status", "created", "managed", "exitCode",
            "finishedAt", "startedAt", "restartCount", "startedSuccessfullyBefore");
    /** Differences by case, with the reason in docs/update-agent.md. */
    private static final Map<String, List<String>> DIFFERENCES = Map.of(
            // Gantry leaves memorySwap unset (Docker's default: twice the memory) and so does not list it
            "test_host_config_params_resources_with_memory_and_reservation_only", List.of("memorySwap 600m"),
            // Docker keeps logs in its data root: logPath is accepted, named in a warning and not applied
            "test_host_config_params_log_driver_json_with_custom_log_path", List.of("logPath /tmp/logs"));

    static Stream<Arguments> cases() {
        return StreamSupport.stream(CASES.path("cases").spliterator(), false)
                .map(c -> Arguments.of(c.path("test").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameters_areKantos(String test, JsonNode c) {
        ContainerSpec spec = spec(c);
        Container container = new Container(new ContainerId("c0ffee"), spec.name().orElseThrow(), spec.image(),
                "sha256:1", spec, ContainerState.created(), Instant.EPOCH, true, Map.of());

        List<String> listed = InventoryMapper.parameters(container, false).stream()
                .filter(p -> !NOT_IN_THE_CASES.contains(p.key())).map(p -> p.key() + " " + p.value()).toList();

        List<String> expected = new ArrayList<>();
        c.path("params").forEach(p -> expected.add(p.get(0).asText() + " " + p.get(1).asText()));
        expected.removeAll(DIFFERENCES.getOrDefault(test, List.of()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        if (c.has("version")) {
            assertThat(ImageVersions.of(c.path("image").asText())).isEqualTo(c.path("version").asText());
        }
    }

    private static ContainerSpec spec(JsonNode c) {
        ObjectNode envelope = UpdateCodec.mapper().createObjectNode().put("activityId", "kanto-case");
        ObjectNode component = envelope.putObject("payload").putArray("domains").addObject().put("id", "containers")
                .putArray("components").addObject().put("id", "test-container").put("version", "1");
        ArrayNode config = component.putArray("config");
        config.addObject().put("key", ConfigKey.IMAGE.wireName())
                .put("value", c.path("image").asText("docker.io/library/influxdb:1.8.4"));
        c.path("config").forEach(kv -> config.addObject().put("key", kv.get(0).asText())
                .put("value", kv.get(1).asText()));
        return DesiredStateMapper.from(UpdateCodec.desiredState(UpdateCodec.read(envelope.toString()
                .getBytes(StandardCharsets.UTF_8))), UpdateTopics.of("containers")).components().get(0).spec();
    }
}

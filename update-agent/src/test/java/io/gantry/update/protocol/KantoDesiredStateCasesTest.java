package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.golden.KantoCases;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.plan.StepKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kanto's update-agent unit cases ({@code kanto-cases/kanto-cm/cua-unit.json}): identification failures, the
 * desired state → container conversions and the action messages, checked against Gantry's reading. Where Gantry
 * differs on purpose the test says so and docs/update-agent.md (Kanto's own test cases) gives the reason.
 */
class KantoDesiredStateCasesTest {

    private static final JsonNode CASES = KantoCases.read("kanto-cm/cua-unit.json");
    private static final UpdateTopics TOPICS = UpdateTopics.of("containers");

    private static WireDesiredState wire(JsonNode payload) {
        ObjectNode envelope = UpdateCodec.mapper().createObjectNode().put("activityId", "kanto-case");
        envelope.set("payload", payload);
        return UpdateCodec.desiredState(UpdateCodec.read(envelope.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static DesiredState desired(JsonNode... components) {
        ObjectNode payload = UpdateCodec.mapper().createObjectNode();
        ObjectNode domain = payload.putArray("domains").addObject().put("id", "containers");
        domain.putArray("components").addAll(List.of(components));
        return DesiredStateMapper.from(wire(payload), TOPICS);
    }

    static Stream<Arguments> identificationFailures() {
        return StreamSupport.stream(CASES.path("identification_failures").spliterator(), false)
                .map(c -> Arguments.of(c.path("test").asText(), c.path("payload"), c.path("message").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identificationFailures")
    void identificationFailure_hasKantosExactMessage(String test, JsonNode payload, String message) {
        assertThatThrownBy(() -> DesiredStateMapper.from(wire(payload), TOPICS))
                .isInstanceOf(IdentificationException.class).hasMessage(message);
    }

    @Test
    void messages_areKantos() {
        JsonNode messages = CASES.path("messages");
        for (StepKind kind : StepKind.values()) {
            assertThat(kind.identifiedMessage()).as(kind.name()).isEqualTo(messages.path(kind.name()).asText());
        }
    }

    @Test
    void toContainer_minimal_getsKantosDefaults_butNoDomainName() {
        JsonNode c = CASES.path("to_container").path("minimal");
        JsonNode kanto = c.path("kanto");

        ContainerSpec spec = desired(c.path("component")).components().get(0).spec();

        assertThat(spec.image().text()).isEqualTo(kanto.path("image").asText());
        assertThat(spec.restartPolicy().kind().dockerName()).isEqualTo(kanto.path("restartPolicy").asText());
        assertThat(spec.restartPolicy().maxRetries()).isEqualTo(kanto.path("maximumRetryCount").asInt());
        assertThat(spec.network().dockerName()).isEqualTo(kanto.path("network").asText());
        assertThat(spec.log()).isEqualTo(LogConfig.DEFAULT);
        assertThat(spec.log().driver()).isEqualTo(kanto.path("log").path("type").asText());
        assertThat(spec.log().maxFiles()).isEqualTo(kanto.path("log").path("maxFiles").asInt());
        assertThat(spec.log().maxSize().orElseThrow().format()).isEqualTo(kanto.path("log").path("maxSize").asText());
        assertThat(spec.log().mode().dockerName()).isEqualTo(kanto.path("log").path("mode").asText());
        assertThat(spec.privileged()).isEqualTo(kanto.path("privileged").asBoolean());
        assertThat(spec.hostname()).isEqualTo(kanto.path("hostName").asText());
        // Differs: Docker's default domain (none), not Kanto's <name>-domain, which nothing resolves.
        assertThat(spec.domainname()).isEmpty();
        assertThat(kanto.path("domainName").asText()).isEqualTo("test-container-domain");
    }

    @Test
    void toContainer_full_hostsWithoutAnAddress_failIdentification_whereKantoFailsTheStart() {
        JsonNode component = CASES.path("to_container").path("full").path("component");

        // Kanto accepts "ctr_host" at identification and fails the container's start ("host … is incorrectly
        // defined"); Gantry says so before anything is created.
        assertThatThrownBy(() -> desired(component)).isInstanceOf(IdentificationException.class)
                .hasMessageEndingWith("invalid extra host \"ctr_host\": expected name:address");
    }

    @Test
    void toContainer_full_withoutTheAddresslessHosts_isKantosContainer_andNamesWhatKantoDropsSilently() {
        JsonNode full = CASES.path("to_container").path("full");
        JsonNode kanto = full.path("kanto");
        ObjectNode component = full.path("component").deepCopy();
        List<JsonNode> config = new ArrayList<>();
        component.path("config").forEach(kv -> {
            if (!kv.path("key").asText().equals("host")) {
                config.add(kv);
            }
        });
        component.putArray("config").addAll(config);

        DesiredState desired = desired(component);
        ContainerSpec spec = desired.components().get(0).spec();

        assertThat(spec.ports()).containsExactly(PortMapping.parse(kanto.path("ports").get(0).asText()
                .replace("80-80:", "80:")));
        assertThat(spec.mounts()).containsExactly(Mount.parse(kanto.path("mounts").get(0).asText()));
        assertThat(spec.cmd()).containsExactlyElementsOf(KantoCases.texts(kanto.path("cmd")));
        assertThat(spec.env()).containsExactlyInAnyOrderElementsOf(KantoCases.texts(kanto.path("env")).stream()
                .map(EnvVar::parse).toList());
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.onFailure(
                kanto.path("restartPolicy").path("maximumRetryCount").asInt(),
                Duration.ofSeconds(kanto.path("restartPolicy").path("retryTimeout").asLong())));
        assertThat(spec.tty()).isEqualTo(kanto.path("tty").asBoolean());
        assertThat(spec.openStdin()).isEqualTo(kanto.path("openStdin").asBoolean());
        assertThat(spec.resources().memory().orElseThrow().format()).isEqualTo(kanto.path("memory").asText());
        // Differs: a device of one path is that path inside the container too (Docker's meaning); Kanto drops it.
        assertThat(spec.devices()).containsExactly(DeviceMapping.parse(kanto.path("devices").get(0).asText()),
                DeviceMapping.parse("/dev/xyz:/dev/xyz"));
        // What Kanto drops silently is dropped here too, each named in a warning (the IDENTIFIED message, the log).
        assertThat(desired.warnings()).hasSize(4).anySatisfy(w -> assertThat(w).contains("port \"123.456.789.000:80:80\""
                + " is dropped")).anySatisfy(w -> assertThat(w).contains("mount \"/TMP\" is dropped"))
                .anySatisfy(w -> assertThat(w).contains("restartTimeout \"X\" is read as 0"))
                .anySatisfy(w -> assertThat(w).contains("terminal \"YES\" is read as false"));
        assertThat(KantoCases.texts(kanto.path("dropped_silently"))).contains("123.456.789.000:80:80", "/TMP",
                "restartTimeout X (0)", "terminal YES (false)", "/dev/xyz");
    }

    @Test
    void toContainer_hostsWithAddress_areKantos() {
        ContainerSpec spec = desired(UpdateCodec.mapper().createObjectNode().put("id", "web").put("version", "1")
                .set("config", UpdateCodec.mapper().valueToTree(List.of(
                        java.util.Map.of("key", "host", "value", "ctrhost:host_ip"),
                        java.util.Map.of("key", "host", "value", "db:container_db-host"),
                        java.util.Map.of("key", "network", "value", "bridge"))))).components().get(0).spec();

        assertThat(spec.extraHosts()).containsExactly(ExtraHost.parse("ctrhost:host_ip"),
                ExtraHost.parse("db:container_db-host"));
        assertThat(spec.network()).isEqualTo(NetworkMode.BRIDGE);
    }

    static Stream<Arguments> systemContainerConfigs() {
        return StreamSupport.stream(CASES.path("system_containers_config").path("cases").spliterator(), false)
                .map(c -> Arguments.of(c.path("name").asText(), c.path("config")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("systemContainerConfigs")
    void systemContainersConfig_isAccepted_withEveryComponent(String name, JsonNode config) {
        JsonNode cases = CASES.path("system_containers_config");
        ObjectNode payload = UpdateCodec.mapper().createObjectNode();
        payload.set("baselines", cases.path("baselines"));
        ObjectNode domain = payload.putArray("domains").addObject().put("id", "containers");
        // Kanto's {} config entry (test_no_config) is a key "" with value "": an unknown domain key, ignored
        domain.set("config", config);
        domain.set("components", cases.path("components"));

        DesiredState desired = DesiredStateMapper.from(wire(payload), TOPICS);

        assertThat(desired.components()).hasSize(2);
        assertThat(desired.baselines()).hasSize(1);
    }
}

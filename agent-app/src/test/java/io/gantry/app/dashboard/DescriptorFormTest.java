package io.gantry.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.PortMapping;
import io.gantry.update.deployment.DescriptorFile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The container form to a descriptor and back, with the descriptor parser as the judge (docs/dashboard.md). */
class DescriptorFormTest {

    private static final Map<String, String> EVERY_FIELD = Map.ofEntries(Map.entry("name", "web"),
            Map.entry("image", "registry.local:5000/team/web"), Map.entry("tag", "1.2"),
            Map.entry("ports", "8080:80/tcp\n127.0.0.1:5353:53/udp\n9000-9001:9000/tcp"),
            Map.entry("env", "TZ=UTC\nGREETING=hello, world"), Map.entry("entrypoint", "/bin/sh\n-c"),
            Map.entry("cmd", "echo hi"), Map.entry("mounts", "/var/lib/web:/data:ro\n/tmp:/scratch"),
            Map.entry("devices", "/dev/ttyUSB0\n/dev/i2c-1:/dev/i2c:rw"),
            Map.entry("network", "edge-net"), Map.entry("memory", "200M"), Map.entry("cpus", "1.5"),
            Map.entry("gpus", "all"), Map.entry("runtime", "nvidia"), Map.entry("log_driver", "json-file"),
            Map.entry("log_options", "max-size=10m"), Map.entry("restart", "on-failure"),
            Map.entry("restart_retries", "3"), Map.entry("enabled", "on"));

    private static ContainerSpec parsed(JsonNode json) {
        DescriptorFile file = DescriptorFile.parse("web.json", json.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(file.problem()).isEmpty();
        return file.descriptor().orElseThrow().spec();
    }

    @Test
    void everyKuraSetting_becomesTheDescriptorKeyTheDeploymentReads() {
        ContainerSpec spec = parsed(DescriptorForm.toJson(EVERY_FIELD, ContainerView.JSON.createObjectNode()));

        assertThat(spec.image().text()).isEqualTo("registry.local:5000/team/web:1.2");
        assertThat(spec.ports()).extracting(PortMapping::toString).hasSize(3);
        assertThat(spec.ports()).anySatisfy(p -> assertThat(p.hostIp()).isEqualTo("127.0.0.1"));
        assertThat(spec.ports()).anySatisfy(p -> assertThat(p.hostPortEnd()).isEqualTo(9001));
        assertThat(spec.env()).extracting(Object::toString).contains("GREETING=hello, world");
        assertThat(spec.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(spec.cmd()).containsExactly("echo hi");
        assertThat(spec.mounts()).anySatisfy(m -> assertThat(m.readOnly()).isTrue());
        assertThat(spec.devices()).hasSize(2);
        assertThat(spec.privileged()).isFalse();
        assertThat(parsed(DescriptorForm.toJson(Map.of("name", "web", "image", "busybox", "privileged", "on"),
                ContainerView.JSON.createObjectNode())).privileged()).isTrue();
        assertThat(spec.network().dockerName()).isEqualTo("edge-net");
        assertThat(spec.resources().memory()).isPresent();
        assertThat(spec.resources().cpus()).isPresent();
        assertThat(spec.resources().gpus()).isPresent();
        assertThat(spec.runtime()).isEqualTo("nvidia");
        assertThat(spec.log().options()).containsEntry("max-size", "10m");
        assertThat(spec.restartPolicy().maxRetries()).isEqualTo(3);
    }

    @Test
    void theFormOfADescriptor_writesTheSameDescriptorAgain() {
        ObjectNode written = DescriptorForm.toJson(EVERY_FIELD, ContainerView.JSON.createObjectNode());

        Map<String, String> loaded = DescriptorFields.of(written);

        assertThat(loaded).containsAllEntriesOf(Map.of("ports", EVERY_FIELD.get("ports"), "tag", "1.2",
                "image", "registry.local:5000/team/web", "mounts", EVERY_FIELD.get("mounts"), "enabled", "on"));
        assertThat(DescriptorForm.toJson(loaded, ContainerView.JSON.createObjectNode())).isEqualTo(written);
    }

    @Test
    void anEdit_keepsTheKeysTheFormDoesNotShow_andDisablingAddsEnabledFalse() throws Exception {
        ObjectNode file = (ObjectNode) ContainerView.JSON.readTree("""
                {"container_name": "web", "image": {"name": "busybox:1"},
                 "config": {"labels": {"team": "a"}, "env": ["OLD=1"]},
                 "host_config": {"extra_hosts": ["db:10.0.0.2"], "resources": {"memory_reservation": "100M"},
                                 "log_config": {"driver_config": {"type": "json-file", "max_files": 2}}}}""");
        Map<String, String> form = new HashMap<>(DescriptorFields.of(file));
        form.put("env", "NEW=2");
        form.put("enabled", "");

        ObjectNode edited = DescriptorForm.toJson(form, file);

        assertThat(edited.path("config").path("labels").path("team").asText()).isEqualTo("a");
        assertThat(edited.path("config").path("env").toString()).isEqualTo("[\"NEW=2\"]");
        assertThat(edited.path("host_config").path("extra_hosts").toString()).contains("db:10.0.0.2");
        assertThat(edited.path("host_config").path("resources").path("memory_reservation").asText()).isEqualTo("100M");
        assertThat(edited.path("host_config").path("log_config").path("driver_config").path("max_files").asInt())
                .isEqualTo(2);
        assertThat(edited.path("enabled").asBoolean(true)).isFalse();
        DescriptorFile parsed = DescriptorFile.parse("web.json", edited.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(parsed.descriptor().orElseThrow().enabled()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ports    | 8080:eighty      | ports    | host_config.port_mappings[0].container_port: expected a whole number",
        "ports    | 70000            | ports    | host_config.port_mappings[0].container_port:",
        "memory   | lots             | memory   | host_config.resources.memory:",
        "cpus     | -1               | cpus     | host_config.resources: cpus -1 must be a number",
        "gpus     | some             | gpus     | host_config.resources.gpus:",
        "restart  | sometimes        | restart  | host_config.restart_policy",
        "env      | =nothing         | env      | config.env[0]:",
        "mounts   | /data:           | mounts   | mount_points[0]",
        "name     | my app           | name     | container_name:",
        "image    | UPPER/Case       | image    | image.name:"})
    void aBadValue_getsTheParsersOwnError_andItsField(String field, String value, String shownAt, String error) {
        Map<String, String> form = new HashMap<>(Map.of("name", "web", "image", "busybox", "enabled", "on"));
        form.put(field, value);

        DescriptorFile file = DescriptorFile.parse("web.json", DescriptorForm.toJson(form,
                ContainerView.JSON.createObjectNode()).toString().getBytes(StandardCharsets.UTF_8));

        assertThat(file.valid()).isFalse();
        assertThat(file.problem()).startsWith(error);
        assertThat(DescriptorFields.fieldOf(file.problem())).hasValue(shownAt);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"ports | 1:2:3:4", "mounts | /only-one-path", "devices | /a:/b:rwm:x",
        "log_options | max-size"})
    void aLineTheFormCannotSplit_isAProblemOfItsField(String field, String line) {
        Map<String, String> form = new HashMap<>(Map.of("name", "web", "image", "busybox", field, line));

        assertThatThrownBy(() -> DescriptorForm.toJson(form, ContainerView.JSON.createObjectNode()))
                .isInstanceOfSatisfying(DescriptorForm.FieldProblem.class, p -> {
                    assertThat(p.field()).isEqualTo(field);
                    assertThat(p.getMessage()).contains(line);
                });
    }

    @Test
    void aProblemOfNoField_belongsToTheWholeForm() {
        assertThat(DescriptorFields.fieldOf("the container's configuration is too large: 5 characters")).isEmpty();
        assertThat(DescriptorFields.fieldOf("imagex: something")).isEmpty();
    }
}

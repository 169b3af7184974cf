package io.gantry.app.trust;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.cli.CliRun;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TwinTestbed;
import io.gantry.app.testing.UpdateFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy and trust sections refuse a container on each of the four paths that create one (desired state, Ditto
 * {@code createWithConfig}, descriptor file, {@code gantry create}) before anything is pulled or created, each
 * refusal told where the request came from: a real agent on a dockerd of the class's own, a real Mosquitto.
 */
class AdmissionIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String IMAGE_NOT_PRESENT = "registry.invalid/gantry-trust/absent:1";

    private static AgentUnderTest agent;
    private static DittoProbe cloud;
    private static Path descriptors;
    private static Path data;
    private static int prometheusPort;
    private static String app2Id;

    /**
     * One rule broken one way; a path that cannot express the request has {@code null} there (Ditto's
     * {@code createWithConfig} knows neither GPUs nor runtimes, a desired state no runtime).
     */
    record Case(String rule, String image, String why, String[] desired, String ditto, String descriptor,
                List<String> cli) {

        @Override
        public String toString() {
            return rule + " " + why;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("policy.privileged", APP_1, "the container asks to be privileged",
                        new String[] {"privileged", "true"}, "{\"privileged\": true}",
                        "\"host_config\": {\"privileged\": true}", List.of("--privileged")),
                new Case("policy.host_network", APP_1, "the container asks for the host's network",
                        new String[] {"network", "host"}, "{\"networkMode\": \"host\"}",
                        "\"host_config\": {\"network_mode\": \"host\"}", List.of("--network", "host")),
                new Case("policy.devices", APP_1, "the container asks for host device /dev/null",
                        new String[] {"device", "/dev/null:/dev/null"},
                        "{\"devices\": [{\"pathOnHost\": \"/dev/null\", \"pathInContainer\": \"/dev/null\","
                                + " \"cgroupPermissions\": \"rwm\"}]}",
                        "\"host_config\": {\"devices\": [{\"path_on_host\": \"/dev/null\", \"path_in_container\":"
                                + " \"/dev/null\", \"cgroup_permissions\": \"rwm\"}]}",
                        List.of("--device", "/dev/null:/dev/null")),
                new Case("policy.gpus", APP_1, "the container asks for GPUs", new String[] {"gpus", "all"}, null,
                        "\"host_config\": {\"resources\": {\"gpus\": \"all\"}}", List.of("--gpus", "all")),
                new Case("policy.runtimes", APP_1, "runtime runc is not allowed", null, null,
                        "\"host_config\": {\"runtime\": \"runc\"}", List.of("--runtime", "runc")),
                new Case("policy.host_paths", APP_1, "host path /etc may not be mounted",
                        new String[] {"mount", "/etc:/host-etc"},
                        "{\"mountPoints\": [{\"source\": \"/etc\", \"destination\": \"/host-etc\","
                                + " \"propagationMode\": \"RPRIVATE\"}]}",
                        "\"mount_points\": [{\"source\": \"/etc\", \"destination\": \"/host-etc\"}]",
                        List.of("-v", "/etc:/host-etc")),
                new Case("trust.allowlist", APP_2, "the digest is not in the allowlist", new String[0], "{}", "",
                        List.of()));
    }

    /** A desired state cannot ask for a runtime: Kanto's component keys have none. */
    static Stream<Case> desiredStateCases() {
        return cases().filter(c -> c.desired() != null);
    }

    /** {@code createWithConfig} cannot ask for GPUs or a runtime: Kanto's container config has neither. */
    static Stream<Case> dittoCases() {
        return cases().filter(c -> c.ditto() != null);
    }

    @BeforeAll
    static void agent() throws IOException {
        String app1Id = fixture.engine().docker("image", "inspect", "-f", "{{.Id}}", APP_1).strip();
        app2Id = fixture.engine().docker("image", "inspect", "-f", "{{.Id}}", APP_2).strip();
        descriptors = Files.createDirectories(fixture.dir().resolve("containers"));
        data = Files.createDirectories(fixture.dir().resolve("data"));
        prometheusPort = Processes.freePort();
        String config = "{\"connection\": {\"broker_url\": \"" + fixture.broker().url() + "\", \"client_id\":"
                + " \"gantry-admission-it\"},\n"
                + "\"engine\": {\"host\": \"" + fixture.engine().host() + "\"},\n"
                // Kanto's features and Gantry's own, whose recentRefusals property the cases read.
                + "\"things\": " + TwinTestbed.kantoDevice("ContainerFactory", "SoftwareUpdatable", "Metrics", "Gantry")
                + ",\n"
                + "\"update_agent\": {\"settle_time\": \"1s\"},\n"
                + "\"deployment\": {\"directory\": \"" + descriptors + "\"},\n"
                + "\"metrics\": {\"prometheus\": {\"enable\": true, \"listen\": \"127.0.0.1:" + prometheusPort
                + "\"}},\n"
                + "\"policy\": {\"privileged\": false, \"host_network\": false, \"devices\": false, \"gpus\": false,"
                + " \"runtimes\": [], \"host_paths\": [\"" + data + ":ro\"]},\n"
                // Kura's text form: digests separated by a line break and a comma.
                + "\"trust\": {\"enforce\": true, \"allowlist\": [\"" + "sha256:" + "0".repeat(64) + "\\n"
                + app1Id + ",\"]},\n"
                + "\"state_dir\": \"" + fixture.dir().resolve("admission-state") + "\"}\n";
        cloud = DittoProbe.connect(fixture.broker().port(), TwinTestbed.KANTO);
        agent = AgentUnderTest.start(fixture.dir().resolve("admission-agent"), config);
        cloud.awaitEvent(e -> DittoProbe.path(e).equals("/features/ContainerFactory"));
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @AfterEach
    void removeContainers() {
        String ids = fixture.engine().docker("ps", "-aq");
        if (!ids.isBlank()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            fixture.engine().docker(args.toArray(String[]::new));
        }
    }

    private static void nothingCreated() {
        assertThat(fixture.engine().docker("ps", "-aq")).as("containers of the private engine").isBlank();
    }

    /** The refusal's message: a trust refusal names the digest too (the local image's id: it has no repo digest). */
    private static String expected(Case c) {
        String digest = c.rule().equals("trust.allowlist") ? ", digest " + app2Id : "";
        return "refused by " + c.rule() + ": " + c.why() + " (image " + c.image() + digest + ")";
    }

    // ---- the four paths ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("desiredStateCases")
    void desiredState_failsIdentification_namingRuleImageAndDigest(Case c) {
        List<String> config = new ArrayList<>(List.of("image", c.image()));
        config.addAll(List.of(c.desired()));
        String activity = fixture.send(payload(component("web", "1", config.toArray(String[]::new))));

        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).isEqualTo("IDENTIFICATION_FAILED");
        assertThat(end.path("message").asText()).isEqualTo("Container web " + expected(c));
        assertThat(fixture.statuses(activity)).containsExactly("IDENTIFYING", "IDENTIFICATION_FAILED");
        nothingCreated();
        awaitRecentRefusal("desired state", "web", c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dittoCases")
    void dittoCreateWithConfig_is403_namingTheRule_andCounted(Case c) throws Exception {
        long before = refusals(c.rule());

        DittoProbe.Reply reply = cloud.command("createWithConfig", "ContainerFactory", "{\"imageRef\": \""
                + c.image() + "\", \"name\": \"web\", \"start\": true, \"config\": " + c.ditto() + "}");

        assertThat(reply.topicStatus()).isEqualTo(403);
        assertThat(reply.value().toString()).isEqualTo("{\"error\":\"messages:execution.failed\",\"status\":403,"
                + "\"message\":\"" + expected(c) + "\"}");
        nothingCreated();
        // At least this one: a descriptor file of an earlier case may still be retried by the class's agent meanwhile.
        assertThat(refusals(c.rule())).isGreaterThan(before);
        assertThat(agent.warnings()).anySatisfy(w -> assertThat(w).contains(expected(c)));
        awaitRecentRefusal("ditto", "web", c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void descriptorFile_isLoggedWithItsName_andNotDeployed(Case c) throws Exception {
        String file = c.rule().replace('.', '-') + ".json";
        Path descriptor = descriptors.resolve(file);
        Files.writeString(descriptor, "{\"container_name\": \"web\", \"image\": {\"name\": \"" + c.image()
                + "\"}" + (c.descriptor().isEmpty() ? "" : ", " + c.descriptor()) + "}");
        try {
            await().atMost(WAIT).untilAsserted(() -> assertThat(agent.errors()).anySatisfy(e -> assertThat(e)
                    .endsWith("Descriptor file " + file + ": container web is not deployed: " + expected(c))));
            nothingCreated();
        } finally {
            Files.delete(descriptor);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gantryCreate_printsOneLine_andExits77_andTheAgentCountsAndRecordsIt(Case c) throws Exception {
        long before = refusals(c.rule());
        List<String> args = new ArrayList<>(List.of("--config", agent.configFile().toString(), "create", "--name",
                "web"));
        args.addAll(c.cli());
        args.add(c.image());

        CliRun run = gantry(args);

        assertThat(run.exit()).isEqualTo(77);
        assertThat(run.err()).isEqualTo("gantry: " + expected(c) + "\n");
        assertThat(run.out()).isEmpty();
        nothingCreated();
        // The CLI's refusal reaches the agent through the spool in its state_dir (docs/trust.md, "Recent refusals").
        await().atMost(WAIT).until(() -> refusals(c.rule()) > before);
        awaitRecentRefusal("cli", "web", c);
    }

    // ---- around the rules --------------------------------------------------------------------------------------

    @Test
    void allowedContainers_areCreatedOnEveryPath() throws Exception {
        String activity = fixture.apply(payload(component("allowed", "1", "image", APP_1,
                "mount", data + ":/data:ro")));
        assertThat(fixture.engine().inspect("allowed")).isNotNull();
        assertThat(activity).isNotBlank();

        DittoProbe.Reply reply = cloud.command("create", "ContainerFactory", "{\"imageRef\": \"" + APP_1 + "\"}");
        assertThat(reply.topicStatus()).isEqualTo(200);

        CliRun run = gantry(List.of("--config", agent.configFile().toString(), "create", "--name", "allowed-cli",
                "-v", data + ":/data:ro", APP_1));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(fixture.engine().inspect("allowed-cli")).isNotNull();
    }

    @Test
    void aReadOnlyRule_refusesAReadWriteMount() {
        CliRun run = gantry(List.of("--config", agent.configFile().toString(), "create", "-v", data + ":/data",
                APP_1));
        assertThat(run.exit()).isEqualTo(77);
        assertThat(run.err()).isEqualTo("gantry: refused by policy.host_paths: host path " + data + " may not be"
                + " mounted read-write (only read-only) (image " + APP_1 + ")\n");
        nothingCreated();
    }

    @Test
    void aTagThatIsNotPresent_failsBeforeAnyPull_whenItsRegistryCannotBeReached() {
        CliRun run = gantry(List.of("--config", agent.configFile().toString(), "create", IMAGE_NOT_PRESENT));
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        // The tag is resolved against its registry first (docs/trust.md); a pull would have said "Pulling …" first.
        assertThat(run.err()).startsWith("gantry: resolution of " + IMAGE_NOT_PRESENT + " failed: the registry"
                + " registry.invalid cannot be reached: ").doesNotContain("Pulling").endsWith("\n")
                .hasLineCount(1);
        nothingCreated();
    }

    @Test
    void aPinnedDigest_isCheckedAgainstTheAllowlist() {
        CliRun run = gantry(List.of("--config", agent.configFile().toString(), "create",
                "gantry-e2e/app@" + app2Id));
        assertThat(run.exit()).isEqualTo(77);
        assertThat(run.err()).isEqualTo("gantry: refused by trust.allowlist: the digest is not in the allowlist"
                + " (image gantry-e2e/app@" + app2Id + ", digest " + app2Id + ")\n");
        nothingCreated();
    }

    @Test
    void anEditOfThePolicy_appliesToTheNextContainer() throws Exception {
        String before = Files.readString(agent.configFile());
        Files.writeString(agent.configFile(), before.replace("\"privileged\": false", "\"privileged\": true"));
        try {
            await().atMost(WAIT).until(() -> agent.config().policy().privileged());
            DittoProbe.Reply reply = cloud.command("createWithConfig", "ContainerFactory", "{\"imageRef\": \""
                    + APP_1 + "\", \"name\": \"privileged\", \"config\": {\"privileged\": true}}");
            assertThat(reply.topicStatus()).as(reply.envelope().toString()).isEqualTo(200);
            assertThat(fixture.engine().inspect("privileged").at("/HostConfig/Privileged").asBoolean()).isTrue();
        } finally {
            Files.writeString(agent.configFile(), before);
            await().atMost(WAIT).until(() -> !agent.config().policy().privileged());
        }
    }

    /**
     * Waits for the twin's {@code recentRefusals} property to hold, newest or not (a descriptor file of an earlier case
     * may be refused again meanwhile), this refusal from {@code path} about {@code subject}.
     */
    private static void awaitRecentRefusal(String path, String subject, Case c) {
        String wanted = expected(c);
        cloud.awaitEvent(e -> DittoProbe.path(e).equals("/features/Gantry/properties/recentRefusals")
                && stream(e.path("value")).anyMatch(r -> r.path("path").asText().equals(path)
                && r.path("subject").asText().equals(subject) && r.path("rule").asText().equals(c.rule())
                && r.path("action").asText().equals("refused") && r.path("message").asText().endsWith(wanted)));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private static CliRun gantry(List<String> args) {
        return CliRun.onDocker(args.toArray(String[]::new));
    }

    /** {@code gantry_containers_refused_total{rule=…}} on the agent's Prometheus endpoint, 0 before the first. */
    private static long refusals(String rule) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + prometheusPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("gantry_containers_refused_total\\{rule=\"" + Pattern.quote(rule)
                + "\"} (\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}

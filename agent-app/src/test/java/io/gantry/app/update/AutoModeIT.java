package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static io.gantry.app.testing.UpdateFixture.actions;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.UpdateFixture;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The update agent in auto mode, end to end: a real agent, Mosquitto and Docker engine (one of the test's own, see
 * {@link io.gantry.app.testing.PrivateEngine}), desired states sent as an update manager or {@code mosquitto_pub}
 * would, and the result checked with {@code docker inspect}. Each test sends the whole desired state it needs, so the
 * tests do not depend on each other's order.
 */
class AutoModeIT {

    /** busybox httpd as PID 1 ignores SIGTERM (reference/dependencies.md pitfall 6); a trapping shell stops at once. */
    private static final String HTTPD = "trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait";

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();
    private static AgentUnderTest agent;

    @BeforeAll
    static void start() {
        // Tagged as the seed's image, since no registry on the internet is reachable (bin/build-test-image).
        fixture.engine().build("docker.io/library/hello-world:latest",
                "CMD [\"echo\", \"Hello from Docker! (a local stand-in for hello-world)\"]");
        agent = fixture.startAgent("\"system_containers\": [\"e2e-sys\"]", "");
    }

    private static JsonNode inspect(String name) {
        return fixture.engine().inspect(name);
    }

    @Test
    void seedHelloWorld_sentWithMosquittoPub_runsTheContainer_andCompletes() throws Exception {
        fixture.apply(payload());
        // reference seeds/002: the Leda documentation's desired state, verbatim, published as the documentation says.
        Path seed = fixture.dir().resolve("hello-world.json");
        try (var in = AutoModeIT.class.getResourceAsStream("/update/hello-world.json")) {
            Files.write(seed, in.readAllBytes());
        }
        Processes.run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(fixture.broker().port()), "-q", "1",
                "-t", "containersupdate/desiredstate", "-f", seed.toString());

        JsonNode end = fixture.awaitEnd("test-correlation-activity-uuid");

        assertThat(fixture.statuses("test-correlation-activity-uuid")).containsExactly("IDENTIFYING", "IDENTIFIED",
                "DOWNLOADING", "DOWNLOAD_SUCCESS", "UPDATE_SUCCESS", "ACTIVATING", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        assertThat(actions(end, "status")).containsExactly(Map.entry("containers:hello-world", "ACTIVATION_SUCCESS"));
        JsonNode hello = inspect("hello-world");
        assertThat(hello.path("Config").path("Image").asText()).isEqualTo("docker.io/library/hello-world:latest");
        assertThat(hello.path("Config").path("Labels").path("io.gantry.managed").asText()).isEqualTo("true");
        assertThat(fixture.engine().docker("logs", "hello-world")).contains("Hello from Docker!");
        // the current state follows every operation, under its activity id
        fixture.probe().await(UpdateFixture.OPERATION, r -> r.topic().equals(UpdateFixture.CURRENT)
                && r.payload().contains("\"activityId\":\"test-correlation-activity-uuid\"")
                && r.payload().contains("containers:hello-world"));
        assertThat(fixture.engine().names()).allMatch(n -> !n.contains(".gantry-"));
    }

    @Test
    void multiContainer_portsEnvMountsRestartPoliciesAndMemory_areWhatDockerInspectShows_andAgainOnlyChecks()
            throws Exception {
        Path www = Files.createDirectories(fixture.dir().resolve("www"));
        Files.writeString(www.resolve("index.html"), "served through a desired state\n");
        Path data = Files.createDirectories(fixture.dir().resolve("data"));
        int webPort = Processes.freePort();
        int udpPort = Processes.freePort();
        JsonNode desired = payload(
                component("web", "1", "image", APP_1, "cmd", "sh", "cmd", "-c", "cmd", HTTPD,
                        "port", "127.0.0.1:" + webPort + ":80", "env", "GREETING=hello", "env", "MODE=e2e",
                        "mount", www + ":/www:ro", "restartPolicy", "always", "memory", "64M",
                        "memoryReservation", "32M"),
                component("worker", "1", "image", APP_1, "restartPolicy", "on-failure", "restartMaxRetries", "3",
                        "restartTimeout", "30", "env", "JOB=sync", "memory", "32M", "memorySwap", "64M",
                        "mount", data + ":/data"),
                component("sidecar", "2", "image", APP_2, "port", udpPort + ":9000/udp"));

        String first = fixture.apply(desired);

        JsonNode web = inspect("web");
        assertThat(web.path("State").path("Running").asBoolean()).isTrue();
        assertThat(web.path("HostConfig").path("PortBindings").path("80/tcp").get(0).path("HostIp").asText())
                .isEqualTo("127.0.0.1");
        assertThat(web.path("HostConfig").path("PortBindings").path("80/tcp").get(0).path("HostPort").asText())
                .isEqualTo(Integer.toString(webPort));
        assertThat(strings(web.path("Config").path("Env"))).contains("GREETING=hello", "MODE=e2e");
        assertThat(strings(web.path("Config").path("Cmd"))).containsExactly("sh", "-c", HTTPD);
        assertThat(web.path("Mounts").get(0).path("Source").asText()).isEqualTo(www.toString());
        assertThat(web.path("Mounts").get(0).path("Destination").asText()).isEqualTo("/www");
        assertThat(web.path("Mounts").get(0).path("RW").asBoolean()).isFalse();
        assertThat(web.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("always");
        assertThat(web.path("HostConfig").path("Memory").asLong()).isEqualTo(64L << 20);
        assertThat(web.path("HostConfig").path("MemoryReservation").asLong()).isEqualTo(32L << 20);
        assertThat(get("http://127.0.0.1:" + webPort + "/index.html")).isEqualTo("served through a desired state\n");

        JsonNode worker = inspect("worker");
        assertThat(worker.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("on-failure");
        assertThat(worker.path("HostConfig").path("RestartPolicy").path("MaximumRetryCount").asInt()).isEqualTo(3);
        assertThat(worker.path("HostConfig").path("Memory").asLong()).isEqualTo(32L << 20);
        assertThat(worker.path("HostConfig").path("MemorySwap").asLong()).isEqualTo(64L << 20);
        assertThat(worker.path("Mounts").get(0).path("RW").asBoolean()).isTrue();
        assertThat(worker.path("Mounts").get(0).path("Propagation").asText()).isEqualTo("rprivate");
        assertThat(strings(worker.path("Config").path("Env"))).contains("JOB=sync");

        JsonNode sidecar = inspect("sidecar");
        assertThat(sidecar.path("Config").path("Image").asText()).isEqualTo(APP_2);
        assertThat(sidecar.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("unless-stopped");
        assertThat(sidecar.path("HostConfig").path("PortBindings").path("9000/udp").get(0).path("HostPort").asText())
                .isEqualTo(Integer.toString(udpPort));

        // The inventory speaks the desired state's language (§4.3), so a node can be copied back into one.
        JsonNode inventory = fixture.currentState();
        Map<String, List<String>> webNode = UpdateFixture.parameters(inventory, "web");
        assertThat(webNode).containsEntry("port", List.of("127.0.0.1:" + webPort + ":80/tcp"))
                .containsEntry("restartPolicy", List.of("always")).containsEntry("memory", List.of("64M"))
                .containsEntry("memoryReservation", List.of("32M")).containsEntry("status", List.of("Running"))
                .containsEntry("managed", List.of("true")).containsEntry("mount", List.of(www + ":/www:rprivate,ro"));
        assertThat(UpdateFixture.parameters(inventory, "worker")).containsEntry("restartTimeout", List.of("30s"))
                .containsEntry("restartMaxRetries", List.of("3")).containsEntry("memorySwap", List.of("64M"));

        // The adapter reports exactly the spec it created, so the same desired state again changes nothing.
        Map<String, JsonNode> before = fixture.engine().inspectAll();
        String again = fixture.apply(desired);

        JsonNode identified = fixture.await(again, "IDENTIFIED");
        assertThat(actions(identified, "message")).as(identified.toString()).containsOnlyKeys("containers:web",
                "containers:worker", "containers:sidecar").allSatisfy((id, message) -> assertThat(message)
                .isEqualTo("No changes detected, existing container will be check only if it is running."));
        Map<String, JsonNode> after = fixture.engine().inspectAll();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            assertThat(after.get(name).path("Id")).as(name).isEqualTo(before.get(name).path("Id"));
            assertThat(after.get(name).path("State").path("StartedAt")).as(name)
                    .isEqualTo(before.get(name).path("State").path("StartedAt"));
            assertThat(after.get(name).path("HostConfig")).as(name).isEqualTo(before.get(name).path("HostConfig"));
        }
        assertThat(first).isNotEqualTo(again);
    }

    @Test
    void imageChange_recreatesUnderTheSameName_onTheSamePort_andRemovesTheOldContainer() throws Exception {
        Path www = Files.createDirectories(fixture.dir().resolve("www-app"));
        Files.writeString(www.resolve("index.html"), "app\n");
        int port = Processes.freePort();
        String[] served = {"cmd", "sh", "cmd", "-c", "cmd", HTTPD, "port", "127.0.0.1:" + port + ":80",
                "mount", www + ":/www:ro"};
        fixture.apply(payload(component("app", "1", with(served, "image", APP_1))));
        String oldId = inspect("app").path("Id").asText();

        String activity = fixture.apply(payload(component("app", "2", with(served, "image", APP_2))));

        assertThat(actions(fixture.await(activity, "IDENTIFIED"), "message")).containsExactly(Map.entry(
                "containers:app", "Existing container will be destroyed and replaced by a new one."));
        JsonNode app = inspect("app");
        assertThat(app.path("Id").asText()).isNotEqualTo(oldId);
        assertThat(app.path("Config").path("Image").asText()).isEqualTo(APP_2);
        assertThat(app.path("State").path("Running").asBoolean()).isTrue();
        assertThat(get("http://127.0.0.1:" + port + "/index.html")).as("the successor took the port over")
                .isEqualTo("app\n");
        assertThat(inspect(oldId)).as("the old container is removed").isNull();
        assertThat(fixture.engine().names()).containsExactly("app");
    }

    private static String[] with(String[] config, String... more) {
        String[] all = java.util.Arrays.copyOf(config, config.length + more.length);
        System.arraycopy(more, 0, all, config.length, more.length);
        return all;
    }

    @Test
    void imageWithAHealthCheck_completesOnceHealthy() {
        fixture.engine().build("gantry-e2e/healthy:1", "HEALTHCHECK --interval=300ms CMD true");

        String activity = fixture.apply(payload(component("checked", "1", "image", "gantry-e2e/healthy:1")));

        assertThat(inspect("checked").path("State").path("Health").path("Status").asText()).isEqualTo("healthy");
        assertThat(fixture.statuses(activity)).endsWith("ACTIVATION_SUCCESS", "CLEANUP_SUCCESS", "COMPLETED");
    }

    @Test
    void restartPolicyChange_updatesTheContainerInPlace() {
        fixture.apply(payload(component("svc", "1", "image", APP_1, "restartPolicy", "unless-stopped",
                "memory", "32M")));
        JsonNode before = inspect("svc");

        String activity = fixture.apply(payload(component("svc", "1", "image", APP_1, "restartPolicy", "always",
                "memory", "48M")));

        assertThat(actions(fixture.await(activity, "IDENTIFIED"), "message")).containsExactly(Map.entry(
                "containers:svc", "Existing container will be updated with new configuration."));
        JsonNode after = inspect("svc");
        assertThat(after.path("Id")).isEqualTo(before.path("Id"));
        assertThat(after.path("State").path("StartedAt")).as("updated without a restart")
                .isEqualTo(before.path("State").path("StartedAt"));
        assertThat(after.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("always");
        assertThat(after.path("HostConfig").path("Memory").asLong()).isEqualTo(48L << 20);
        // and nothing left to do when the same desired state comes again
        String again = fixture.apply(payload(component("svc", "1", "image", APP_1, "restartPolicy", "always",
                "memory", "48M")));
        assertThat(actions(fixture.await(again, "IDENTIFIED"), "message")).containsExactly(Map.entry(
                "containers:svc", "No changes detected, existing container will be check only if it is running."));
    }

    @Test
    void removal_removesTheContainerNoLongerListed_andLeavesTheOthers() {
        fixture.apply(payload(component("keep", "1", "image", APP_1), component("drop", "1", "image", APP_1)));
        String keepId = inspect("keep").path("Id").asText();
        String dropId = inspect("drop").path("Id").asText();

        String activity = fixture.apply(payload(component("keep", "1", "image", APP_1)));

        assertThat(actions(fixture.awaitEnd(activity), "message")).containsEntry("containers:drop",
                "Old container instance is removed.");
        assertThat(inspect(dropId)).isNull();
        assertThat(inspect("keep").path("Id").asText()).isEqualTo(keepId);
    }

    @Test
    void systemAndHandMadeContainers_areLeftAlone_andTheCurrentStateListsThemWithManaged() {
        String handMade = fixture.engine().docker("create", "--name", "by-hand", TestImages.BUSYBOX);
        String system;
        try (DockerContainerEngine docker = new DockerContainerEngine(agent::config)) {
            system = docker.create(ContainerSpec.builder(ImageRef.parse(APP_1)).name(new ContainerName("e2e-sys"))
                    .build(), Map.of()).value();
            docker.start(new io.gantry.core.container.ContainerId(system));
        }
        try {
            // The desired state lists neither (Kanto would destroy both), then asks to change the system one.
            String activity = fixture.apply(payload(component("only", "1", "image", APP_1)));
            assertThat(actions(fixture.await(activity, "IDENTIFIED"), "status")).containsOnlyKeys("containers:only");
            String change = fixture.apply(payload(component("only", "1", "image", APP_1),
                    component("e2e-sys", "2", "image", APP_2)));
            JsonNode identified = fixture.await(change, "IDENTIFIED");
            assertThat(identified.path("message").asText()).contains("system container e2e-sys is not changed");
            assertThat(actions(identified, "status")).containsOnlyKeys("containers:only");

            assertThat(inspect("e2e-sys").path("Id").asText()).isEqualTo(system);
            assertThat(inspect("e2e-sys").path("Config").path("Image").asText()).isEqualTo(APP_1);
            assertThat(inspect("e2e-sys").path("State").path("Running").asBoolean()).isTrue();
            assertThat(inspect("by-hand").path("Id").asText()).isEqualTo(handMade);

            JsonNode inventory = fixture.currentState();
            assertThat(UpdateFixture.parameters(inventory, "by-hand")).containsEntry("managed", List.of("false"))
                    .containsEntry("status", List.of("Created"));
            assertThat(UpdateFixture.parameters(inventory, "e2e-sys")).containsEntry("managed", List.of("true"));
            assertThat(inventory.path("associations").toString()).contains("containers:by-hand", "containers:e2e-sys");
        } finally {
            fixture.engine().docker("rm", "-f", "by-hand", "e2e-sys");
        }
    }

    @Test
    void newerDesiredState_whileTheFirstSettles_rollsTheFirstBack_andRunsTheSecond() {
        fixture.apply(payload(component("web", "1", "image", APP_1)));
        String webId = inspect("web").path("Id").asText();

        String first = fixture.send(payload(component("web", "2", "image", APP_2)));
        fixture.await(first, "ACTIVATING");
        String second = fixture.send(payload(component("web", "1", "image", APP_1),
                component("extra", "1", "image", APP_1)));

        JsonNode firstEnd = fixture.awaitEnd(first);
        JsonNode secondEnd = fixture.awaitEnd(second);
        assertThat(firstEnd.path("status").asText()).isEqualTo("INCOMPLETE");
        assertThat(firstEnd.path("message").asText()).contains("Superseded by activity " + second + ".");
        assertThat(fixture.statuses(first)).contains("ROLLBACK_SUCCESS");
        assertThat(secondEnd.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(inspect("web").path("Id").asText()).as("the first one's replacement was rolled back")
                .isEqualTo(webId);
        assertThat(inspect("web").path("Config").path("Image").asText()).isEqualTo(APP_1);
        assertThat(fixture.engine().names()).containsExactlyInAnyOrder("web", "extra");
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}

package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.containerPath;
import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Reply;
import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import io.gantry.core.golden.GoldenJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every command of reference/kanto-things.md §3.1–3.2 against real containers, end to end: the real agent with a
 * static device (the variant of §1.3 that needs no connector), a real Mosquitto and the machine's Docker engine. Each
 * test checks the exact reply on {@code command//<thingId>/res/<req-id>/<status>}, what Docker did, and the twin's
 * resulting modifies, looking only at its own containers' features (the twin shows every container of the engine).
 * The statement numbers are those of §5.
 */
class TwinCommandsIT {

    private static final String STATE_FILE = "sup_back_org.eclipse.kanto_exampleDevice_edge_containers.json";

    @RegisterExtension
    static final TwinTestbed bed = TwinTestbed.withKantoDevice("twin-cmd");
    private static DittoProbe cloud;
    private static TestContainers docker;

    @BeforeAll
    static void names() {
        cloud = bed.probe();
        docker = bed.containers();
    }

    private static String feature(String id) {
        return "Container:" + id;
    }

    private static String dockerStatus(String id) {
        return docker.inspect(id, "{{.State.Status}}");
    }

    private static void assertNoContent(Reply reply, String requestId, String operation, String feature) {
        assertThat(reply.topic()).isEqualTo("command//" + TwinTestbed.KANTO.thingId() + "/res/" + requestId + "/204");
        assertThat(reply.envelope().toString()).isEqualTo("{\"topic\":\"" + TwinTestbed.KANTO.topicPrefix()
                + "/things/live/messages/" + operation + "\",\"headers\":{\"correlation-id\":\"c-" + requestId
                + "\"},\"path\":\"/features/" + feature + "/outbox/messages/" + operation + "\",\"status\":204}");
    }

    private static void assertError(Reply reply, int status, String code, String message) {
        assertThat(reply.topicStatus()).isEqualTo(status);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.value().toString()).isEqualTo("{\"error\":\"" + code + "\",\"status\":" + status
                + ",\"message\":" + GoldenJson.parse(quote(message)) + "}");
        assertThat(reply.envelope().at("/headers/content-type").asText()).isEqualTo("application/json");
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- ContainerFactory ---------------------------------------------------------------------------------------

    @Test
    void staticDevice_registersTheThreeFeaturesWithoutAConnector() {
        assertThat(cloud.mqtt().received(MqttProbe.on("edge/thing/request"))).isEmpty();
        List<JsonNode> all = cloud.mqtt().received(MqttProbe.on(TwinTestbed.KANTO.events())).stream()
                .map(r -> GoldenJson.parse(r.payload())).toList();
        JsonNode factory = all.stream().filter(e -> path(e).equals("/features/ContainerFactory")).findFirst()
                .orElseThrow();
        assertThat(factory.toString()).isEqualTo("{\"topic\":\"org.eclipse.kanto/exampleDevice:edge:containers/things"
                + "/twin/commands/modify\",\"headers\":{\"response-required\":false},\"path\":\"/features/"
                + "ContainerFactory\",\"value\":{\"definition\":[\"com.bosch.iot.suite.edge.containers:"
                + "ContainerFactory:1.3.0\"]}}");
        JsonNode metrics = all.stream().filter(e -> path(e).equals("/features/Metrics")).findFirst().orElseThrow();
        assertThat(metrics.path("value").toString())
                .isEqualTo("{\"definition\":[\"com.bosch.iot.suite.edge.metric:Metrics:1.0.0\"]}");
        JsonNode software = all.stream().filter(e -> path(e).equals("/features/SoftwareUpdatable")).findFirst()
                .orElseThrow();
        assertThat(software.at("/value/definition").toString())
                .isEqualTo("[\"org.eclipse.hawkbit.swupdatable:SoftwareUpdatable:2.0.0\"]");
        assertThat(software.at("/value/properties/status/softwareModuleType").asText()).isEqualTo("oci:container");
    }

    @Test
    void statement13_create_replies200WithTheId_andTheTwinShowsTheNewContainer() {
        String requestId = cloud.send("create", "ContainerFactory",
                "{\"imageRef\":\"" + TestImages.BUSYBOX + "\",\"start\":false}");
        Reply reply = cloud.awaitReply(requestId);

        String id = reply.value().asText();
        assertThat(reply.topic()).isEqualTo("command//" + TwinTestbed.KANTO.thingId() + "/res/" + requestId + "/200");
        assertThat(reply.envelope().toString()).isEqualTo("{\"topic\":\"" + TwinTestbed.KANTO.topicPrefix()
                + "/things/live/messages/create\",\"headers\":{\"content-type\":\"application/json\",\"correlation-id\""
                + ":\"c-" + requestId + "\"},\"path\":\"/features/ContainerFactory/outbox/messages/create\",\"value\":\""
                + id + "\",\"status\":200}");
        assertThat(docker.ids()).contains(id);
        assertThat(dockerStatus(id)).isEqualTo("created");

        JsonNode status = cloud.awaitFeature(id);
        assertThat(status.path("imageRef").asText()).isEqualTo(TestImages.BUSYBOX);
        assertThat(status.path("state").toString()).isEqualTo("{\"status\":\"CREATED\",\"pid\":-1}");
        JsonNode state = cloud.awaitState(id, "CREATED");
        assertThat(state.path("value").toString()).isEqualTo("{\"status\":\"CREATED\",\"pid\":-1}");
        assertThat(cloud.containerEvents(id)).containsExactly("modify ", "modify /properties/status/state CREATED");
        JsonNode dependencies = cloud.awaitEvent(e -> path(e).equals(
                "/features/SoftwareUpdatable/properties/status/installedDependencies")
                && e.path("value").has("gantry-test%2Fbusybox." + id + ":1"));
        assertThat(dependencies.at("/value/gantry-test%2Fbusybox." + id + ":1").toString())
                .isEqualTo("{\"group\":\"gantry-test/busybox\",\"name\":\"" + id + "\",\"version\":\"1\"}");
    }

    @Test
    void statement14_createAndStart_alsoPublishesRunningWithAPid() {
        Reply reply = cloud.command("create", "ContainerFactory",
                "{\"imageRef\":\"" + TestImages.BUSYBOX + "\",\"start\":true}");

        String id = reply.value().asText();
        JsonNode running = cloud.awaitState(id, "RUNNING");
        assertThat(running.at("/value/pid").asLong()).isPositive();
        assertThat(running.at("/value/startedAt").asText()).endsWith("Z");
        assertThat(dockerStatus(id)).isEqualTo("running");
    }

    @Test
    void statement15and16_createWithoutImageRef_is500_andAMistypedImageRef_is400() {
        Reply missing = cloud.command("create", "ContainerFactory", "{\"start\":true}");
        assertError(missing, 500, "messages:execution.failed", "imageRef must be set");
        assertThat(missing.path()).isEqualTo("/features/ContainerFactory/outbox/messages/create");

        Reply mistyped = cloud.command("create", "ContainerFactory", "{\"imageRef\":5}");
        assertError(mistyped, 400, "messages:parameter.invalid", "imageRef: expected a string, got 5");
    }

    @Test
    void statement17and18_createWithConfig_portsRestartPolicyAndMount_reachDockerAndTheTwin() throws Exception {
        int hostPort = Processes.freePort();
        Path www = Files.createDirectories(bed.dir().resolve("www"));
        Files.writeString(www.resolve("index.html"), "served by the twin test\n");
        String name = docker.name("web");

        Reply reply = cloud.command("createWithConfig", "ContainerFactory", "{\"imageRef\":\"" + TestImages.BUSYBOX
                + "\",\"name\":\"" + name + "\",\"start\":true,\"config\":{"
                + "\"cmd\":[\"httpd\",\"-f\",\"-p\",\"80\",\"-h\",\"/www\"],"
                + "\"portMappings\":[{\"hostPort\":" + hostPort + ",\"containerPort\":80}],"
                + "\"restartPolicy\":{\"type\":\"on-failure\",\"maxRetryCount\":3},"
                + "\"mountPoints\":[{\"source\":\"" + www + "\",\"destination\":\"/www\",\"propagationMode\":\"rshared\"}]"
                + "}}");

        assertThat(reply.status()).isEqualTo(200);
        String id = reply.value().asText();
        JsonNode config = cloud.awaitFeature(id).path("config");
        assertThat(config.path("portMappings").toString()).isEqualTo("[{\"proto\":\"tcp\",\"hostPort\":" + hostPort
                + ",\"hostPortEnd\":" + hostPort + ",\"containerPort\":80,\"hostIP\":\"0.0.0.0\"}]");
        assertThat(config.path("networkMode").asText()).isEqualTo("BRIDGE");
        assertThat(config.path("restartPolicy").toString()).isEqualTo("{\"maxRetryCount\":3,\"type\":\"ON_FAILURE\"}");
        assertThat(config.path("mountPoints").toString()).isEqualTo("[{\"source\":\"" + www
                + "\",\"destination\":\"/www\",\"propagationMode\":\"RPRIVATE\"}]");
        cloud.awaitState(id, "RUNNING");

        assertThat(docker.inspect(id, "{{.Name}} {{.HostConfig.RestartPolicy.Name}} "
                + "{{.HostConfig.RestartPolicy.MaximumRetryCount}}")).isEqualTo("/" + name + " on-failure 3");
        assertThat(docker.docker("port", id, "80/tcp")).contains("0.0.0.0:" + hostPort);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("served by the twin test\n"));
    }

    @Test
    void statement19_unknownFactoryOperation_is404() {
        Reply reply = cloud.command("foo", "ContainerFactory", "{}");

        assertError(reply, 404, "messages:subject.notfound", "unsupported operation foo");
        assertThat(reply.path()).isEqualTo("/features/ContainerFactory/outbox/messages/foo");
    }

    // ---- Container:<id> -----------------------------------------------------------------------------------------

    @Test
    void statement20and21_startCreated_replies204AndRuns_startRunning_is500() {
        String id = bed.created("start");

        String requestId = cloud.send("start", feature(id), null);
        assertNoContent(cloud.awaitReply(requestId), requestId, "start", feature(id));
        assertThat(cloud.awaitState(id, "RUNNING").at("/value/pid").asLong()).isPositive();
        assertThat(dockerStatus(id)).isEqualTo("running");

        assertError(cloud.command("start", feature(id), null), 500, "messages:execution.failed",
                "the container with id = " + id + " is already running");
    }

    @Test
    void statement22_stopRunning_isStopped_andStopOfAStoppedOne_is500() {
        String id = bed.running("stop");

        String requestId = cloud.send("stop", feature(id), null);
        assertNoContent(cloud.awaitReply(requestId), requestId, "stop", feature(id));
        JsonNode stopped = cloud.awaitState(id, "STOPPED");
        assertThat(stopped.at("/value/pid").asLong()).isEqualTo(-1);
        assertThat(stopped.at("/value/finishedAt").asText()).endsWith("Z");
        assertThat(dockerStatus(id)).isEqualTo("exited");

        assertError(cloud.command("stop", feature(id), null), 500, "messages:execution.failed",
                "cannot perform stop operation for container: " + id + ", with state: Stopped");
    }

    @Test
    void statement23_stopWithOptions_signal_andNegativeTimeout() {
        String id = bed.running("stopopts");

        assertError(cloud.command("stopWithOptions", feature(id), "{\"timeout\":-1}"), 500,
                "messages:execution.failed", "the timeout = -1 shouldn't be negative");
        assertError(cloud.command("stopWithOptions", feature(id), "{\"signal\":\"FOO\"}"), 500,
                "messages:execution.failed", "invalid signal = FOO");
        assertThat(dockerStatus(id)).isEqualTo("running");

        String requestId = cloud.send("stopWithOptions", feature(id), "{\"signal\":\"SIGINT\",\"timeout\":20}");
        assertNoContent(cloud.awaitReply(requestId), requestId, "stopWithOptions", feature(id));
        cloud.awaitState(id, "STOPPED");
        // The image's shell ends with 0 on SIGINT: it was the signal, not the kill after the timeout.
        assertThat(docker.inspect(id, "{{.State.ExitCode}}")).isEqualTo("0");
    }

    @Test
    void statement24_pauseThenResume_andResumeOfARunningOne_is500() {
        String id = bed.running("pause");

        assertThat(cloud.command("pause", feature(id), null).status()).isEqualTo(204);
        cloud.awaitState(id, "PAUSED");
        assertThat(dockerStatus(id)).isEqualTo("paused");
        assertThat(cloud.command("resume", feature(id), null).status()).isEqualTo(204);
        cloud.awaitState(id, "RUNNING");
        assertThat(dockerStatus(id)).isEqualTo("running");
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state PAUSED",
                "modify /properties/status/state RUNNING");

        assertError(cloud.command("resume", feature(id), null), 500, "messages:execution.failed",
                "container id = " + id + " is not paused - cannot unpause it ");
    }

    @Test
    void statement25_rename_publishesTheName_andItsErrors() {
        String id = bed.created("rename");
        String newName = docker.name("renamed");

        assertThat(cloud.command("rename", feature(id), quote(newName)).status()).isEqualTo(204);
        JsonNode name = cloud.awaitEvent(e -> path(e).equals(containerPath(id) + "/properties/status/name"));
        assertThat(name.path("value").asText()).isEqualTo(newName);
        assertThat(docker.inspect(id, "{{.Name}}")).isEqualTo("/" + newName);

        assertError(cloud.command("rename", feature(id), "{\"n\":1}"), 400, "messages:parameter.invalid",
                "expected a string, got an object");
        assertError(cloud.command("rename", feature(id), "\"bad name!\""), 500, "messages:execution.failed",
                "invalid container name format : bad name!");
        // Renaming to the current name changes nothing and publishes nothing.
        assertThat(cloud.command("rename", feature(id), quote(newName)).status()).isEqualTo(204);
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/name");
    }

    @Test
    void statement26_update_publishesTheConfig() {
        String id = bed.created("update");

        assertThat(cloud.command("update", feature(id), "{\"restartPolicy\":{\"type\":\"ALWAYS\"},"
                + "\"resources\":{\"memory\":\"64M\"}}").status()).isEqualTo(204);

        JsonNode config = cloud.awaitEvent(e -> path(e).equals(containerPath(id) + "/properties/status/config"));
        assertThat(config.at("/value/restartPolicy").toString()).isEqualTo("{\"type\":\"ALWAYS\"}");
        assertThat(config.at("/value/resources/memory").asText()).isEqualTo("64M");
        assertThat(docker.inspect(id, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}}"))
                .isEqualTo("always " + 64 * 1024 * 1024);
        assertError(cloud.command("update", feature(id), "{\"restartPolicy\":{\"type\":\"ALWAYS\",\"maxRetryCount\":3}}"),
                500, "messages:execution.failed",
                "restartPolicy: cannot use max retry count when the restart policy is always");
    }

    @Test
    void statement27_removeStopped_publishesDeadOnceThenTheDeletion_andForgetsTheContainer() throws IOException {
        String id = bed.running("remove");
        docker.docker("stop", id);
        cloud.awaitState(id, "STOPPED");
        Path stateFile = bed.stateDir().resolve(STATE_FILE);
        assertThat(Files.readString(stateFile)).contains(id);
        cloud.forget();

        String requestId = cloud.send("remove", feature(id), "false");
        assertNoContent(cloud.awaitReply(requestId), requestId, "remove", feature(id));
        cloud.awaitDeleted(id);

        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state DEAD", "delete ");
        JsonNode dead = cloud.eventsUnder(containerPath(id)).get(0);
        assertThat(dead.at("/value/exitCode").asInt()).isEqualTo(0);
        assertThat(dead.at("/value/pid").asLong()).isEqualTo(-1);
        assertThat(docker.exists(id)).isFalse();
        cloud.awaitEvent(e -> path(e).equals("/features/SoftwareUpdatable/properties/status/installedDependencies")
                && !e.path("value").toString().contains(id));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readString(stateFile))
                .doesNotContain(id));
    }

    @Test
    void statement28_removeRunning_needsForce_andAForcedRemovalPublishesDeadOnce() {
        String id = bed.running("force");

        assertError(cloud.command("remove", feature(id), "false"), 500, "messages:execution.failed",
                "container with id = " + id + " is not stopped - must set the force flag to true to remove it");
        assertError(cloud.command("remove", feature(id), "\"yes\""), 400, "messages:parameter.invalid",
                "expected true or false, got the string \"yes\"");
        assertThat(dockerStatus(id)).isEqualTo("running");

        assertThat(cloud.command("remove", feature(id), "true").status()).isEqualTo(204);
        cloud.awaitDeleted(id);
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state DEAD", "delete ");
        assertThat(docker.exists(id)).isFalse();
    }

    @Test
    void statement29_unknownContainerFeature_is400FeatureNotFound() {
        Reply reply = cloud.command("start", "Container:deadbeef", "{}");

        assertError(reply, 400, "messages:parameter.invalid", "feature [Container:deadbeef] not found ");
        assertThat(reply.path()).isEqualTo("/features/Container:deadbeef/inbox/messages/start");
    }

    @Test
    void statement32and33_oneWayCommands_areExecutedWithoutReply() {
        String id = bed.created("oneway");
        String thing = TwinTestbed.KANTO.thingId();
        String prefix = TwinTestbed.KANTO.topicPrefix();
        String inbox = containerPath(id) + "/inbox/messages/";

        // response-required false
        cloud.mqtt().publish("command//" + thing + "/req/ow1/start", "{\"topic\":\"" + prefix
                + "/things/live/messages/start\",\"headers\":{\"correlation-id\":\"ow1\",\"response-required\":false},"
                + "\"path\":\"" + inbox + "start\"}");
        cloud.awaitState(id, "RUNNING");
        // response-required absent
        cloud.mqtt().publish("command//" + thing + "/req/ow2/pause", "{\"topic\":\"" + prefix
                + "/things/live/messages/pause\",\"headers\":{\"correlation-id\":\"ow2\"},\"path\":\"" + inbox
                + "pause\"}");
        cloud.awaitState(id, "PAUSED");
        // an empty request id, although a reply is asked for
        cloud.mqtt().publish("command//" + thing + "/req//resume", "{\"topic\":\"" + prefix
                + "/things/live/messages/resume\",\"headers\":{\"correlation-id\":\"ow3\",\"response-required\":true},"
                + "\"path\":\"" + inbox + "resume\"}");
        cloud.awaitState(id, "RUNNING");

        // A two-way command after them is answered, so any reply to the one-way ones would have arrived by now.
        assertThat(cloud.command("pause", feature(id), null).status()).isEqualTo(204);
        assertThat(cloud.replies()).hasSize(1);
    }

    @Test
    void statement36_theReplyReusesTheRequestId_andTheHonoCommandNameIsIgnored() {
        String thing = TwinTestbed.KANTO.thingId();
        cloud.mqtt().publish("command//" + thing + "/req/abc-42/run", cloud.envelope("abc-42", "create",
                "ContainerFactory", "{\"imageRef\":\"" + TestImages.BUSYBOX + "\"}"));

        Reply reply = cloud.awaitReply("abc-42");
        assertThat(reply.topic()).isEqualTo("command//" + thing + "/res/abc-42/200");
        assertThat(reply.envelope().at("/headers/correlation-id").asText()).isEqualTo("c-abc-42");
        assertThat(docker.ids()).contains(reply.value().asText());
    }

    @Test
    void statement44_anImageOnARegistryWithAPort_isPulled_andKeyedAsKantoKeysIt() throws IOException {
        Path registryDir = Files.createDirectories(bed.dir().resolve("registry"));
        try (LocalRegistry registry = LocalRegistry.start(registryDir, Optional.empty(), Optional.empty())) {
            String image = registry.address() + "/app:1.0";
            Processes.run("docker", "tag", TestImages.BUSYBOX, image);
            Processes.run("docker", "push", image);
            Processes.run("docker", "rmi", image);
            try {
                Reply reply = cloud.command("create", "ContainerFactory", "{\"imageRef\":\"" + image + "\"}");

                assertThat(reply.status()).isEqualTo(200);
                String id = reply.value().asText();
                String port = registry.address().substring(registry.address().indexOf(':') + 1);
                String key = "127.0.0.1." + id + ":" + port + "%2Fapp:1.0";
                JsonNode dependencies = cloud.awaitEvent(e -> path(e).equals(
                        "/features/SoftwareUpdatable/properties/status/installedDependencies")
                        && e.path("value").has(key));
                assertThat(dependencies.path("value").path(key).toString()).isEqualTo("{\"group\":\"127.0.0.1\","
                        + "\"name\":\"" + id + "\",\"version\":\"" + port + "/app:1.0\"}");
                docker.docker("rm", "-f", id);
            } finally {
                Processes.attempt(Map.of(), "docker", "rmi", image);
            }
        }
    }

    // ---- threading ----------------------------------------------------------------------------------------------

    @Test
    void aSlowStop_doesNotHoldUpACommandForAnotherContainer_andACommandQueuedForAVanishedContainerIs500() {
        // busybox sleep as PID 1 has no handler for SIGTERM, so the stop waits for its whole timeout.
        String stubborn = bed.running("stubborn", "sleep", "3600");
        String other = bed.running("other");

        String stop = cloud.send("stopWithOptions", feature(stubborn), "{\"timeout\":120}");
        String queued = cloud.send("start", feature(stubborn), null);
        Reply pause = cloud.command("pause", feature(other), null);

        assertThat(pause.status()).isEqualTo(204);
        cloud.awaitState(other, "PAUSED");
        assertThat(cloud.replyTo(stop)).isEmpty();
        assertThat(cloud.replyTo(queued)).isEmpty();

        // The container vanishes under its queued command, which then finds it being removed or gone: Docker's
        // removal ends the stop first, so which of the two the start sees is a race (CommandTest covers "gone").
        docker.docker("rm", "-f", stubborn);
        cloud.awaitReply(stop);
        Reply start = cloud.awaitReply(queued);
        assertThat(start.status()).isEqualTo(500);
        assertThat(start.message()).isIn("no such container with id = " + stubborn + " exists",
                "the container with id = " + stubborn + " is dead - cannot start it");
        cloud.awaitDeleted(stubborn);
    }
}

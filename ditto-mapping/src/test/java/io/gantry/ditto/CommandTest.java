package io.gantry.ditto;

import static io.gantry.ditto.TwinHarness.E;
import static io.gantry.ditto.TwinHarness.P;
import static io.gantry.ditto.TwinHarness.T;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ForwardingEngine;
import io.gantry.core.container.Health;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.container.StopOptions;
import io.gantry.core.golden.GoldenJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands, replies and errors: reference/kanto-things.md §2.2–2.4 and §3.1–3.2, statements 13–36 of §5. */
class CommandTest {

    private static final String C1 = "0000000000000000000000000000000000000000000000000000000000000001";

    @TempDir
    Path stateDir;
    private TwinHarness h;

    @BeforeEach
    void setUp() {
        h = new TwinHarness(stateDir).started();
        h.transport.clear();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private ContainerId running(String name) {
        ContainerId id = h.container(name);
        h.engine.start(id);
        h.transport.clear();
        return id;
    }

    private ContainerStatus status(ContainerId id) {
        return h.engine.inspect(id).map(Container::status).orElseThrow();
    }

    private List<JsonNode> states(ContainerId id) {
        return h.eventsAt("/features/Container:" + id + "/properties/status/state");
    }

    private void assertReply(int status, String golden) {
        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/" + status);
        GoldenJson.assertMatches("golden/" + golden, h.replyJson());
    }

    private void assertError(int status, String code, String message) {
        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/" + status);
        JsonNode reply = h.replyJson();
        assertThat(reply.path("status").asInt()).isEqualTo(status);
        assertThat(reply.path("value").toString()).isEqualTo("{\"error\":\"" + code + "\",\"status\":" + status
                + ",\"message\":" + GoldenJson.parse("\"" + message.replace("\"", "\\\"") + "\"") + "}");
    }

    @Test
    void statement13_create_replies200WithTheId_andTheTwinShowsTheNewContainer() {
        h.sendGolden("create-request.json");

        assertReply(200, "response-200-create.json");
        assertThat(h.events().stream().map(e -> e.path("path").asText())).containsExactly(
                "/features/Container:" + C1, "/features/Container:" + C1 + "/properties/status/state",
                "/features/SoftwareUpdatable/properties/status/installedDependencies");
        GoldenJson.assertMatches("golden/modify-feature-container-created.json", h.events().get(0));
        GoldenJson.assertMatches("golden/modify-property-state-created.json", h.events().get(1));
        GoldenJson.assertMatches("golden/modify-property-installed-dependencies.json", h.events().get(2));
    }

    @Test
    void statement14_createAndStart_alsoPublishesRunning() {
        h.cmd("create", "ContainerFactory", "{\"imageRef\":\"" + TwinHarness.IMAGE + "\",\"start\":true}");

        JsonNode last = states(ContainerId.of(C1)).get(1);
        assertThat(last.at("/value/status").asText()).isEqualTo("RUNNING");
        assertThat(last.at("/value/pid").asLong()).isPositive();
        assertThat(h.replyJson().path("value").asText()).isEqualTo(C1);
    }

    @Test
    void statement15_createWithoutImageRef_is500ImageRefMustBeSet() {
        h.cmd("create", "ContainerFactory", "{\"start\":true}");

        assertReply(500, "error-c-500-image-ref-must-be-set.json");
        assertThat(h.events()).isEmpty();
    }

    @Test
    void statement16_createWithMistypedImageRef_is400() {
        h.cmd("create", "ContainerFactory", "{\"imageRef\":5}");

        assertError(400, "messages:parameter.invalid", "imageRef: expected a string, got 5");
    }

    @Test
    void statement17and18_createWithConfig_pullsTheImage_andReportsKantosDefaultsAndEnums() {
        h.engine.withRegistryImage("docker.io/library/httpd:latest");

        h.sendGolden("create-with-config-request.json");

        assertThat(h.replyJson().path("status").asInt()).isEqualTo(200);
        assertThat(h.engine.operations()).contains("pull docker.io/library/httpd:latest");
        JsonNode config = h.eventsAt("/features/Container:" + C1).get(0).at("/value/properties/status/config");
        assertThat(config.path("portMappings").toString()).isEqualTo("[{\"proto\":\"tcp\",\"hostPort\":5000,"
                + "\"hostPortEnd\":5000,\"containerPort\":80,\"hostIP\":\"0.0.0.0\"}]");
        assertThat(config.path("networkMode").asText()).isEqualTo("BRIDGE");
        assertThat(config.path("restartPolicy").toString()).isEqualTo("{\"maxRetryCount\":3,\"type\":\"ON_FAILURE\"}");
        assertThat(config.at("/mountPoints/0/propagationMode").asText()).isEqualTo("RPRIVATE");
        assertThat(states(ContainerId.of(C1))).last().satisfies(s ->
                assertThat(s.at("/value/status").asText()).isEqualTo("RUNNING"));
    }

    @Test
    void createWithConfig_invalidName_is500_andInvalidConfigValue_is500_andMistypedConfig_is400() {
        h.cmd("createWithConfig", "ContainerFactory", "{\"imageRef\":\"" + TwinHarness.IMAGE + "\",\"name\":\"bad name!\"}");
        assertError(500, "messages:execution.failed", "invalid container name format : bad name!");

        h.cmd("createWithConfig", "ContainerFactory", "{\"imageRef\":\"" + TwinHarness.IMAGE
                + "\",\"config\":{\"restartPolicy\":{\"type\":\"always\",\"maxRetryCount\":2}}}");
        assertError(500, "messages:execution.failed",
                "config.restartPolicy: cannot use max retry count when the restart policy is always");

        h.cmd("createWithConfig", "ContainerFactory", "{\"imageRef\":\"" + TwinHarness.IMAGE
                + "\",\"config\":{\"portMappings\":[{\"hostPort\":\"x\",\"containerPort\":80}]}}");
        assertError(400, "messages:parameter.invalid",
                "config.portMappings[0].hostPort: expected a whole number, got the string \"x\"");
        assertThat(h.engine.list()).isEmpty();
    }

    @Test
    void create_imageCannotBePulled_is500WithThePullError() {
        h.cmd("create", "ContainerFactory", "{\"imageRef\":\"example.com/nope:1\"}");

        assertThat(h.replyJson().at("/value/status").asInt()).isEqualTo(500);
        assertThat(h.replyJson().at("/value/message").asText()).contains("repository does not exist");
    }

    @Test
    void statement19_unknownFactoryOperation_is404() {
        h.cmd("foo", "ContainerFactory", "{}");

        assertReply(404, "error-c-404-unsupported-operation.json");
    }

    @Test
    void statement20_startCreated_replies204_andPublishesRunning() {
        ContainerId c = h.container("web");
        h.transport.clear();

        h.sendGolden("start-request.json");

        assertReply(204, "response-204-start.json");
        assertThat(status(c)).isEqualTo(ContainerStatus.RUNNING);
        GoldenJson.assertMatches("golden/modify-property-state-running.json", states(c).get(0));
    }

    @Test
    void statement21_startRunning_is500AlreadyRunning() {
        running("web");

        h.sendGolden("start-request.json");

        assertReply(500, "error-c-500-already-running.json");
    }

    @Test
    void statement22_stopRunning_isStopped_andStopOfStopped_is500() {
        ContainerId c = running("web");

        h.sendGolden("stop-request.json");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        GoldenJson.assertMatches("golden/modify-property-state-stopped.json", states(c).get(0));

        h.sendGolden("stop-request.json");
        assertError(500, "messages:execution.failed", "cannot perform stop operation for container: " + c
                + ", with state: Stopped");
    }

    @Test
    void statement23_stopWithOptions_signal_andNegativeTimeout() {
        ContainerId c = running("web");

        h.sendGolden("stop-with-options-request.json");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        assertThat(states(c)).last().satisfies(s -> assertThat(s.at("/value/status").asText()).isEqualTo("STOPPED"));
        h.engine.start(c);

        h.cmd("stopWithOptions", "Container:" + c, "{\"timeout\":-1}");
        assertError(500, "messages:execution.failed", "the timeout = -1 shouldn't be negative");
        h.cmd("stopWithOptions", "Container:" + c, "{\"signal\":\"FOO\"}");
        assertError(500, "messages:execution.failed", "invalid signal = FOO");
        h.cmd("stopWithOptions", "Container:" + c, "{\"timeout\":1.5}");
        assertError(400, "messages:parameter.invalid", "timeout: expected a whole number, got 1.5");
        assertThat(status(c)).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void statement24_pauseThenResume_andResumeOfRunning_is500() {
        ContainerId c = running("web");

        h.sendGolden("pause-request.json");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        h.sendGolden("resume-request.json");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);

        assertThat(states(c).stream().map(s -> s.at("/value/status").asText())).containsExactly("PAUSED", "RUNNING");
        h.sendGolden("resume-request.json");
        assertError(500, "messages:execution.failed", "container id = " + c + " is not paused - cannot unpause it ");
    }

    @Test
    void statement25_rename_andItsErrors() {
        ContainerId c = h.container("web");
        h.transport.clear();

        h.sendGolden("rename-request.json");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        GoldenJson.assertMatches("golden/modify-property-name.json",
                h.eventsAt("/features/Container:" + c + "/properties/status/name").get(0));

        h.cmd("rename", "Container:" + c, "{\"n\":1}");
        assertError(400, "messages:parameter.invalid", "expected a string, got an object");
        h.cmd("rename", "Container:" + c, "\"bad name!\"");
        assertError(500, "messages:execution.failed", "invalid container name format : bad name!");
    }

    @Test
    void statement26_update_publishesTheConfig() {
        ContainerId c = h.container("web");
        h.transport.clear();

        h.sendGolden("update-request.json");

        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        assertThat(h.engine.inspect(c).orElseThrow().spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        GoldenJson.assertMatches("golden/modify-property-config.json",
                h.eventsAt("/features/Container:" + c + "/properties/status/config").get(0));
    }

    @Test
    void update_withRetriesForAlways_is500_andWithMistypedPolicy_is400() {
        ContainerId c = h.container("web");

        h.cmd("update", "Container:" + c, "{\"restartPolicy\":{\"type\":\"ALWAYS\",\"maxRetryCount\":3}}");
        assertError(500, "messages:execution.failed",
                "restartPolicy: cannot use max retry count when the restart policy is always");
        h.cmd("update", "Container:" + c, "{\"restartPolicy\":\"ALWAYS\"}");
        assertError(400, "messages:parameter.invalid", "restartPolicy: expected an object, got the string \"ALWAYS\"");
    }

    @Test
    void statement27_removeStopped_publishesDeadThenDelete_andEmptiesDependencies() throws Exception {
        ContainerId c = h.container("web");
        h.engine.start(c);
        h.engine.stop(c, StopOptions.DEFAULT);
        h.transport.clear();

        h.sendGolden("remove-request.json");

        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        List<JsonNode> events = h.events();
        assertThat(events).hasSize(3);
        GoldenJson.assertMatches("golden/modify-property-state-dead.json", events.get(0));
        GoldenJson.assertMatches("golden/delete-feature-container.json", events.get(1));
        GoldenJson.assertMatches("golden/modify-property-installed-dependencies-null.json", events.get(2));
        assertThat(Files.readString(stateDir.resolve("sup_back_org.eclipse.kanto_exampleDevice_edge_containers.json")))
                .isEqualTo("null");
    }

    @Test
    void removeOneOfTwo_dependenciesKeepTheOther() {
        ContainerId a = h.container("a");
        ContainerId b = h.container("b");
        h.transport.clear();

        h.cmd("remove", "Container:" + a, "true");

        JsonNode deps = h.eventsAt("/features/SoftwareUpdatable/properties/status/installedDependencies").get(0);
        assertThat(deps.path("value").size()).isEqualTo(1);
        assertThat(deps.path("value").elements().next().path("name").asText()).isEqualTo(b.value());
    }

    @Test
    void statement28_removeRunning_needsForce() {
        ContainerId c = running("web");

        h.cmd("remove", "Container:" + c, "false");
        assertError(500, "messages:execution.failed", "container with id = " + c
                + " is not stopped - must set the force flag to true to remove it");
        h.cmd("remove", "Container:" + c, "\"yes\"");
        assertError(400, "messages:parameter.invalid", "expected true or false, got the string \"yes\"");

        h.cmd("remove", "Container:" + c, "true");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        assertThat(h.events().stream().map(e -> e.path("path").asText())).containsSubsequence(
                "/features/Container:" + c + "/properties/status/state", "/features/Container:" + c);
        assertThat(h.engine.inspect(c)).isEmpty();
    }

    @Test
    void removeForced_whileDockerReportsTheContainerAsRemovingAtItsDeath_publishesDeadOnceThenTheDeletion() {
        h.close();
        h = new TwinHarness(stateDir, io.gantry.config.ThingsConfig.DEFAULTS, Runnable::run,
                new io.gantry.core.concurrent.KeyedExecutor(Runnable::run), RemovingEngine::new).started();
        ContainerId c = running("web");

        h.cmd("remove", "Container:" + c, "true");

        assertThat(h.replyJson().path("status").asInt()).isEqualTo(204);
        List<JsonNode> events = h.events().stream().filter(e -> e.path("path").asText().contains(c.value())).toList();
        assertThat(events).extracting(e -> e.path("path").asText()).containsExactly(
                "/features/Container:" + c + "/properties/status/state", "/features/Container:" + c);
        assertThat(events.get(0).at("/value/status").asText()).isEqualTo("DEAD");
        assertThat(events.get(0).at("/value/exitCode").asInt()).isEqualTo(137);
    }

    /**
     * Docker's forced removal: the container dies while its removal is in progress, so the inspection that follows
     * its die event finds it "removing" (with the exit code); the destroy event comes after.
     */
    private static final class RemovingEngine extends ForwardingEngine {

        private final Map<ContainerId, Container> removing = new ConcurrentHashMap<>();

        RemovingEngine(ContainerEngine delegate) {
            super(delegate);
        }

        @Override
        public Optional<Container> inspect(ContainerId id) {
            Container c = removing.get(id);
            return c != null ? Optional.of(c) : delegate().inspect(id);
        }

        @Override
        public void remove(ContainerId id, boolean force) {
            delegate().inspect(id).ifPresent(c -> removing.put(id, c.withState(new ContainerState(
                    ContainerStatus.REMOVING, 0, 137, "", c.state().startedAt(), c.state().startedAt(), false, 0,
                    Health.NONE))));
            try {
                delegate().remove(id, force);
            } finally {
                removing.remove(id);
            }
        }
    }

    @Test
    void statement29_unknownContainerFeature_is400FeatureNotFound() {
        h.cmd("start", "Container:deadbeef", "{}");

        assertReply(400, "error-a-400-feature-not-found.json");
    }

    @Test
    void statement30_otherThingInTheEnvelope_is404() {
        h.send("command//" + T + "/req/r1/start", "{\"topic\":\"other/thing/things/live/messages/start\","
                + "\"headers\":{\"correlation-id\":\"c1\",\"response-required\":true},"
                + "\"path\":\"/features/ContainerFactory/inbox/messages/start\"}");

        assertReply(404, "error-a-404-thing-not-found.json");
    }

    @Test
    void statement31_headerErrors_are400() {
        String path = "/features/ContainerFactory/inbox/messages/create";
        String topic = "\"topic\":\"" + P + "/things/live/messages/create\",\"path\":\"" + path + "\"";
        String prefix = "invalid Ditto message received for device id [" + T + "]: ";

        h.send("command//" + T + "/req/r1/x", "{" + topic + ",\"headers\":{\"response-required\":true}}");
        assertError(400, "messages:parameter.invalid", prefix + "correlation id header is missing");
        assertThat(h.replyJson().path("headers").has("correlation-id")).isFalse();
        assertThat(h.replyJson().path("path").asText()).isEqualTo(path);

        h.send("command//" + T + "/req/r1/x", "{" + topic + ",\"headers\":{\"correlation-id\":\"c1\","
                + "\"response-required\":true},\"value\":{}}");
        assertError(400, "messages:parameter.invalid", prefix + "missing content type header");

        h.send("command//" + T + "/req/r1/x", "{" + topic + ",\"headers\":{\"correlation-id\":\"c1\","
                + "\"response-required\":true,\"content-type\":\"text/plain\"},\"value\":{}}");
        assertError(400, "messages:parameter.invalid", prefix + "unsupported content type header text/plain");

        h.send("command//" + T + "/req/r1/x", "{" + topic + ",\"headers\":{\"correlation-id\":\"c1\","
                + "\"response-required\":true,\"content-type\":\"application/json\"}}");
        assertError(400, "messages:parameter.invalid", prefix + "unexpected content type header application/json");
        GoldenJson.assertMatches("golden/error-a-400-header.json", h.replyJson());
        assertThat(h.engine.list()).isEmpty();
    }

    @Test
    void statement32_responseRequiredFalseOrAbsent_executesWithoutReply() {
        ContainerId c = h.container("web");
        h.transport.clear();
        String path = "/features/Container:" + c + "/inbox/messages/";

        h.send("command//" + T + "/req/r1/x", "{\"topic\":\"" + P + "/things/live/messages/start\",\"headers\":"
                + "{\"correlation-id\":\"c1\",\"response-required\":false},\"path\":\"" + path + "start\"}");
        assertThat(status(c)).isEqualTo(ContainerStatus.RUNNING);
        h.send("command//" + T + "/req/r1/x", "{\"topic\":\"" + P + "/things/live/messages/pause\",\"headers\":"
                + "{\"correlation-id\":\"c1\"},\"path\":\"" + path + "pause\"}");
        assertThat(status(c)).isEqualTo(ContainerStatus.PAUSED);

        assertThat(h.replies()).isEmpty();
        assertThat(states(c)).hasSize(2);
    }

    @Test
    void statement33_emptyRequestId_executesWithoutReply() {
        ContainerId c = h.container("web");

        h.send("command//" + T + "/req//start", TwinHarness.envelope("start",
                "/features/Container:" + c + "/inbox/messages/start", null));

        assertThat(status(c)).isEqualTo(ContainerStatus.RUNNING);
        assertThat(h.replies()).isEmpty();
    }

    @Test
    void oneWayCommandThatFails_isOnlyLogged() {
        ContainerId c = running("web");

        h.send("command//" + T + "/req//start", TwinHarness.envelope("start",
                "/features/Container:" + c + "/inbox/messages/start", null));
        h.send("command//" + T + "/req//x", TwinHarness.envelope("start", "/features/Container:nope/inbox/messages/start",
                null));

        assertThat(h.replies()).isEmpty();
    }

    @Test
    void statement34_pathWithoutOperation_is400_andThingLevelOperation_is404() {
        h.send("command//" + T + "/req/r1/x", TwinHarness.envelope("x", "/features/ContainerFactory/properties", null));
        assertError(400, "messages:parameter.invalid", "missing operation name for device id [" + T + "]");

        h.send("command//" + T + "/req/r1/x", TwinHarness.envelope("x", "/inbox/messages/x", null));
        assertError(404, "messages:subject.notfound", "the target thing ID = " + T
                + " does not have e registered operations handler - thus, the command will not be processed");
    }

    @Test
    void statement35_invalidJsonOrMissingTopicOrPath_isFormB() {
        h.send("command//" + T + "/req/r1/x", "{not json");
        assertReply(400, "error-b-400-unparsable.json");

        h.send("command//" + T + "/req/r1/x", "{\"headers\":{\"correlation-id\":\"c1\",\"response-required\":true},"
                + "\"path\":\"/features/ContainerFactory/inbox/messages/create\"}");
        assertReply(400, "error-b-400-invalid-message.json");
    }

    @Test
    void statement36_replyTopicReusesRequestIdAndDevice_andTheHonoCommandNameIsIgnored() {
        h.send("command//" + T + "/req/abc-42/run", TwinHarness.envelope("create",
                "/features/ContainerFactory/inbox/messages/create", "{\"imageRef\":\"" + TwinHarness.IMAGE + "\"}"));

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/abc-42/200");
        assertThat(h.replyJson().path("status").asInt()).isEqualTo(200);
        assertThat(h.engine.list()).hasSize(1);
    }

    @Test
    void containerThatVanishedBehindTheTwin_is500NoSuchContainer() {
        h.close();
        BlockingEngine[] lossy = new BlockingEngine[1];
        h = new TwinHarness(stateDir, io.gantry.config.ThingsConfig.DEFAULTS, Runnable::run,
                new io.gantry.core.concurrent.KeyedExecutor(Runnable::run), fake -> {
                    lossy[0] = new BlockingEngine(fake, new java.util.ArrayList<>());
                    lossy[0].release();
                    return lossy[0];
                }).started();
        ContainerId c = h.container("web");
        // The engine loses the container and the event saying so never arrives: the twin still has the feature.
        lossy[0].loseEvents = true;
        h.engine.remove(c, true);
        lossy[0].loseEvents = false;
        h.transport.clear();

        h.cmd("start", "Container:" + c, null);

        assertError(500, "messages:execution.failed", "no such container with id = " + c + " exists");
    }

    @Test
    void engineDown_is500WithTheEngineError() {
        ContainerId c = h.container("web");
        h.engine.goDown();

        h.cmd("start", "Container:" + c, null);

        assertError(500, "messages:execution.failed", "cannot reach the fake engine");
    }

    @Test
    void metricsRequest_withoutAPluggedHandler_isUnsupported_andAPluggedHandlerAnswers() {
        h.sendGolden("metrics-request.json");
        assertError(404, "messages:subject.notfound", "unsupported operation request");

        h.twin.plug("Metrics", operation -> java.util.Optional.empty());
        h.sendGolden("metrics-request.json");

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/204");
        assertThat(h.transport.publishedOn(E)).isEmpty();
    }
}

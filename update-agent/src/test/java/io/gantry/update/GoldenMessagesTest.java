package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.WireDesiredState;
import io.gantry.update.protocol.WireDomain;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every outbound message shape, compared as JSON trees with the golden files in {@code src/test/resources/golden}:
 * feedback of each status, identification failures and the current state. The clock is fixed, so the files are
 * exact. Run with {@code -Dgolden.write=true} to rewrite them after a deliberate change (and review the diff).
 */
class GoldenMessagesTest extends AgentTest {

    private static void assertGolden(String name, JsonNode actual) {
        GoldenFiles.assertGolden(name, actual);
    }

    private Messages.Feedback first(String activityId, FeedbackStatus status) {
        return h.feedback(activityId).stream().filter(f -> f.status().equals(status.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + status + " in " + h.statuses(activityId)));
    }

    private void run(String activityId, String command, FeedbackStatus ending) {
        int before = h.feedback(activityId).size();
        h.command(activityId, command);
        h.awaitFeedbackCount(activityId, before + 1);
        h.awaitStatus(activityId, ending);
    }

    @Test
    void feedback_ofASuccessfulOrchestratedRecreateAndDestroy() {
        h = new Harness(stateDir, Harness.orchestrated());
        h.existing("influxdb", "registry.local/influxdb:1.8.4", RestartPolicy.UNLESS_STOPPED);
        h.existing("alpine", "docker.io/library/alpine:latest", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/influxdb:1.8.5");
        h.start();
        h.send(desired("act-1", component("influxdb", "1.8.5", "image", "registry.local/influxdb:1.8.5",
                "ports", "8086:8086")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);
        run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_SUCCESS);
        run("act-1", "CLEANUP", FeedbackStatus.COMPLETED);

        for (FeedbackStatus status : List.of(FeedbackStatus.IDENTIFYING, FeedbackStatus.IDENTIFIED,
                FeedbackStatus.DOWNLOADING, FeedbackStatus.DOWNLOAD_SUCCESS, FeedbackStatus.UPDATING,
                FeedbackStatus.UPDATE_SUCCESS, FeedbackStatus.ACTIVATING, FeedbackStatus.ACTIVATION_SUCCESS,
                FeedbackStatus.CLEANUP_SUCCESS, FeedbackStatus.COMPLETED)) {
            assertGolden("feedback-" + status.name().toLowerCase().replace('_', '-'), first("act-1", status).json());
        }
    }

    @Test
    void feedback_ofAnActivationFailureRolledBackInAutoMode() {
        h = new Harness(stateDir, Harness.auto());
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/web:2").exitingAtOnce("registry.local/web:2");
        h.start();
        h.send(desired("act-2", component("web", "2", "image", "registry.local/web:2")));
        h.awaitEnd("act-2");

        assertGolden("feedback-activation-failure", first("act-2", FeedbackStatus.ACTIVATION_FAILURE).json());
        assertGolden("feedback-rollback", first("act-2", FeedbackStatus.ROLLBACK).json());
        assertGolden("feedback-rollback-success", first("act-2", FeedbackStatus.ROLLBACK_SUCCESS).json());
        assertGolden("feedback-incomplete", first("act-2", FeedbackStatus.INCOMPLETE).json());
    }

    @Test
    void feedback_ofFailedCommands() {
        h = new Harness(stateDir, Harness.orchestrated());
        h.fake.withRegistryImage("registry.local/a:1");
        h.start();
        h.send(desired("act-3", component("a", "1", "image", "registry.local/a:1")));
        h.awaitStatus("act-3", FeedbackStatus.IDENTIFIED);
        run("act-3", "UPDATE", FeedbackStatus.UPDATE_FAILURE);
        h.command("act-3", "DOWNLOAD", "b-x");
        h.awaitStatus("act-3", FeedbackStatus.DOWNLOAD_FAILURE);
        h.command("act-3", "CLEANUP", "b-x");
        h.awaitStatus("act-3", FeedbackStatus.CLEANUP);

        assertGolden("feedback-update-failure", first("act-3", FeedbackStatus.UPDATE_FAILURE).json());
        assertGolden("feedback-download-failure", first("act-3", FeedbackStatus.DOWNLOAD_FAILURE).json());
        assertGolden("feedback-cleanup", first("act-3", FeedbackStatus.CLEANUP).json());
    }

    @Test
    void feedback_ofARollbackFailure() {
        h = new Harness(stateDir, Harness.auto());
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/web:2").exitingAtOnce("registry.local/web:2");
        h.engine.failWhen("rename", arg -> arg.toString().startsWith("web.gantry-old"),
                new ContainerConflictException("rename refused", null));
        h.start();
        h.send(desired("act-4", component("web", "2", "image", "registry.local/web:2")));
        h.awaitEnd("act-4");

        assertGolden("feedback-rollback-failure", first("act-4", FeedbackStatus.ROLLBACK_FAILURE).json());
    }

    @Test
    void feedback_ofACleanupFailure() {
        h = new Harness(stateDir, Harness.auto());
        h.existing("alpine", "docker.io/library/alpine:3.19", RestartPolicy.UNLESS_STOPPED);
        h.engine.failWhen("remove", "alpine"::equals, new EngineFailureException("device or resource busy", null));
        h.start();
        h.send(desired("act-5"));
        h.awaitEnd("act-5");

        assertGolden("feedback-cleanup-failure", first("act-5", FeedbackStatus.CLEANUP_FAILURE).json());
        assertGolden("feedback-incomplete-after-cleanup-failure", h.last("act-5").json());
    }

    @Test
    void feedback_ofIdentificationFailures() {
        h = new Harness(stateDir, Harness.auto());
        h.start();
        h.send(desired("act-2", component("influxdb", "1.8.4", "image", "docker.io/library/influxdb:1.8.4",
                "restartPolicy", "sometimes")));
        h.send(UpdateCodec.encode("act-6", Messages.TIMESTAMP, new WireDesiredState(List.of(),
                List.of(new WireDomain("containers", List.of(), List.of()), new WireDomain("other", List.of(),
                        List.of())))));
        h.transport.deliver(Harness.DESIRED, "{\"activityId\":\"act-7\",\"payload\":{\"domains\":[{\"id\":"
                + "\"containers\",\"components\":[{\"id\":\"web\",\"config\":[{\"key\":\"image\",\"value\":5}]}]}]}}");
        h.awaitEnd("act-2");
        h.awaitEnd("act-6");
        h.awaitEnd("act-7");

        assertGolden("feedback-identification-failed", h.last("act-2").json());
        assertGolden("feedback-identification-failed-two-domains", h.last("act-6").json());
        assertGolden("feedback-identification-failed-unreadable", h.last("act-7").json());
    }

    @Test
    void currentState_answersARequest_withEveryContainer() {
        h = new Harness(stateDir, Harness.auto());
        h.existing("influxdb", "registry.local/influxdb:1.8.4", RestartPolicy.onFailure(3,
                java.time.Duration.ofSeconds(30)));
        h.fake.withImage("docker.io/library/hello-world:latest");
        h.fake.addUnmanaged(io.gantry.core.container.ContainerSpec.builder(
                io.gantry.core.container.ImageRef.parse("docker.io/library/hello-world:latest"))
                .name(new io.gantry.core.container.ContainerName("hello-world"))
                .restartPolicy(RestartPolicy.NO).buildAsReported());
        h.start();
        h.transport.deliver(Harness.GET, Messages.currentStateGet("get-42"));
        Harness.await().until(() -> h.currentStates().stream().anyMatch(c -> c.activityId().equals("get-42")));

        Messages.CurrentState state = h.currentStates().stream().filter(c -> c.activityId().equals("get-42"))
                .findFirst().orElseThrow();
        // the agent node carries the build's version; the golden file does not change with it
        JsonNode json = state.json().deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode agent =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.get("payload").get("softwareNodes").get(0);
        assertThat(agent.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        agent.put("version", "VERSION");
        assertGolden("currentstate", json);
    }
}

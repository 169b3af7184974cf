package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static io.gantry.app.testing.UpdateFixture.actions;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.envelope;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.testing.LogCapture;
import io.gantry.app.testing.UpdateFixture;
import io.gantry.update.UpdateAgent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The update agent in orchestrated mode, end to end: an update manager's commands drive the phases one by one
 * (reference/kanto-cua.md §3.4–3.7), each phase doing its part to the real engine; and every kind of bad input of
 * issue 4 gets its feedback (or, where nothing can be answered, a warning in the log) and changes no container.
 */
class OrchestratedModeIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @BeforeAll
    static void start() {
        fixture.startAgent("\"mode\": \"orchestrated\"", "");
    }

    /** Sends the four commands an update manager sends, each once the phase before succeeded. */
    private static void drive(String activity) {
        fixture.await(activity, "IDENTIFIED");
        fixture.command(activity, "DOWNLOAD");
        fixture.await(activity, "DOWNLOAD_SUCCESS");
        fixture.command(activity, "UPDATE");
        fixture.await(activity, "UPDATE_SUCCESS");
        fixture.command(activity, "ACTIVATE");
        fixture.await(activity, "ACTIVATION_SUCCESS");
        fixture.command(activity, "CLEANUP");
        assertThat(fixture.awaitEnd(activity).path("status").asText()).isEqualTo("COMPLETED");
    }

    private static List<String> statusesSince(String activity, int from) {
        List<String> all = fixture.statuses(activity);
        return all.subList(from, all.size());
    }

    @Test
    void commandByCommand_eachPhaseDoesItsPartOnTheEngine_andReportsAsKanto() {
        String setup = fixture.send(payload(component("web", "1", "image", APP_1),
                component("same", "1", "image", APP_1),
                component("old", "1", "image", APP_1, "restartPolicy", "always")));
        drive(setup);
        String webId = fixture.engine().inspect("web").path("Id").asText();
        String sameId = fixture.engine().inspect("same").path("Id").asText();

        String activity = fixture.send(payload(component("web", "2", "image", APP_2),
                component("same", "1", "image", APP_1), component("fresh", "1", "image", APP_1)));

        // §7.1: identified, nothing done before DOWNLOAD
        JsonNode identified = fixture.await(activity, "IDENTIFIED");
        assertThat(actions(identified, "message")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "containers:web", "Existing container will be destroyed and replaced by a new one.",
                "containers:same", "No changes detected, existing container will be check only if it is running.",
                "containers:fresh", "New container will be created and started.",
                "containers:old", "Existing container will be destroyed, no longer needed."));
        assertThat(fixture.engine().names()).containsExactlyInAnyOrder("web", "same", "old");

        fixture.command(activity, "DOWNLOAD");
        fixture.await(activity, "DOWNLOAD_SUCCESS");
        assertThat(statusesSince(activity, 2)).containsExactly("DOWNLOADING", "DOWNLOADING", "DOWNLOAD_SUCCESS");
        String replacement = fixture.engine().names().stream().filter(n -> n.startsWith("web.gantry-new-")).findFirst()
                .orElseThrow(() -> new AssertionError("no replacement of web in " + fixture.engine().names()));
        assertThat(fixture.engine().inspect(replacement).path("State").path("Status").asText()).isEqualTo("created");
        assertThat(fixture.engine().inspect("fresh").path("State").path("Status").asText()).isEqualTo("created");
        assertThat(fixture.engine().inspect("web").path("State").path("Running").asBoolean()).isTrue();

        fixture.command(activity, "UPDATE");
        fixture.await(activity, "UPDATE_SUCCESS");
        assertThat(statusesSince(activity, 5)).containsExactly("UPDATING", "UPDATING", "UPDATE_SUCCESS");
        String aside = fixture.engine().names().stream().filter(n -> n.startsWith("web.gantry-old-")).findFirst()
                .orElseThrow(() -> new AssertionError("web was not set aside: " + fixture.engine().names()));
        assertThat(fixture.engine().inspect(aside).path("Id").asText()).isEqualTo(webId);
        assertThat(fixture.engine().inspect(aside).path("State").path("Running").asBoolean()).isFalse();
        assertThat(fixture.engine().inspect("old").path("State").path("Running").asBoolean()).isFalse();

        fixture.command(activity, "ACTIVATE");
        fixture.await(activity, "ACTIVATION_SUCCESS");
        assertThat(statusesSince(activity, 8)).containsExactly("ACTIVATING", "ACTIVATING", "ACTIVATING",
                "ACTIVATION_SUCCESS");
        assertThat(fixture.engine().inspect("web").path("Config").path("Image").asText()).isEqualTo(APP_2);
        assertThat(fixture.engine().inspect("web").path("State").path("Running").asBoolean()).isTrue();
        assertThat(fixture.engine().inspect("fresh").path("State").path("Running").asBoolean()).isTrue();
        assertThat(fixture.engine().names()).contains(aside, "old");
        // §7.55 differs: Docker never restarts a container stopped through its API, restart policy always or not
        assertThat(fixture.engine().inspect("old").path("State").path("Running").asBoolean()).isFalse();
        assertThat(fixture.engine().inspect("old").path("RestartCount").asInt()).isZero();

        fixture.command(activity, "CLEANUP");
        JsonNode end = fixture.awaitEnd(activity);
        assertThat(statusesSince(activity, 12)).containsExactly("CLEANUP_SUCCESS", "COMPLETED");
        // §3.7: the final statuses and messages of each kind of action
        assertThat(actions(end, "status")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "containers:web", "ACTIVATION_SUCCESS", "containers:same", "ACTIVATION_SUCCESS",
                "containers:fresh", "ACTIVATION_SUCCESS", "containers:old", "REMOVAL_SUCCESS"));
        assertThat(actions(end, "message")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "containers:web", "New container instance is started.",
                "containers:same", "Existing container instance is running.",
                "containers:fresh", "New container instance is started.",
                "containers:old", "Old container instance is removed."));
        assertThat(fixture.engine().names()).containsExactlyInAnyOrder("web", "same", "fresh");
        assertThat(fixture.engine().inspect("same").path("Id").asText()).isEqualTo(sameId);
        assertThat(fixture.engine().inspect(webId)).isNull();
    }

    @Test
    void badInput_getsItsFeedbackOrAWarning_andChangesNoContainer() {
        String setup = fixture.send(payload(component("web", "1", "image", APP_1)));
        drive(setup);
        Map<String, JsonNode> before = fixture.engine().inspectAll();
        // an operation that waits for commands and would replace web and add another container
        String pending = fixture.send(payload(component("web", "2", "image", APP_2),
                component("more", "1", "image", APP_1)));
        fixture.await(pending, "IDENTIFIED");

        try (LogCapture agentLog = LogCapture.of(UpdateAgent.class);
             LogCapture driverLog = LogCapture.of("io.gantry.update.OperationDriver")) {
            // unreadable, without an activity id: nothing is published, a warning is logged (§7.33)
            fixture.probe().publish(UpdateFixture.DESIRED, "not json {");
            fixture.probe().publish(UpdateFixture.DESIRED, "{\"activityId\": 5, \"payload\": {}}");
            fixture.probe().publish(UpdateFixture.PREFIX + "currentstate/get", "[1, 2]");
            // readable activity id: IDENTIFICATION_FAILED saying what and where
            expectIdentificationFailed("bad-type", "{\"activityId\":\"bad-type\",\"payload\":{\"domains\":[{\"id\":"
                    + "\"containers\",\"components\":[{\"id\":\"x\",\"config\":[{\"key\":\"image\",\"value\":5}]}]}]}}",
                    "cannot parse the desired state: payload.domains[0].components[0].config[0].value: expected a"
                            + " string");
            expectIdentificationFailed("two-domains", envelope("two-domains", UpdateFixture.read(
                    "{\"domains\":[{\"id\":\"containers\"},{\"id\":\"containers\"}]}")),
                    "one domain expected in desired state specification, but got 2");
            expectIdentificationFailed("wrong-domain", envelope("wrong-domain", UpdateFixture.read(
                    "{\"domains\":[{\"id\":\"foo\"}]}")), "domain id mismatch - expecting containers, received foo");
            expectIdentificationFailed("bad-value", envelope("bad-value", payload(component("web", "3", "image",
                    APP_1, "restartPolicy", "sometimes"))), "cannot convert desired state components to container"
                    + " configurations: invalid configuration for container web: unsupported restart policy type"
                    + " sometimes");
            expectIdentificationFailed("bad-baseline", envelope("bad-baseline", baselinePayload()),
                    "cannot process desired state baselines with containers: problem with baseline B1: cannot find"
                            + " container component containers:missing");
            expectIdentificationFailed("", "{\"payload\":{\"domains\":[{\"id\":\"containers\"}]}}",
                    "the desired state has no activityId");

            // commands out of order (§7.40, §7.41), for an unknown baseline (§7.43), and ignored ones (§7.42)
            fixture.command(pending, "UPDATE");
            assertThat(fixture.await(pending, "UPDATE_FAILURE").path("message").asText())
                    .isEqualTo("UPDATE is possible only after status DOWNLOAD_SUCCESS is reported");
            fixture.command(pending, "ACTIVATE");
            assertThat(fixture.await(pending, "ACTIVATION_FAILURE").path("message").asText())
                    .isEqualTo("ACTIVATE is possible only after status UPDATE_SUCCESS is reported");
            fixture.command(pending, "ROLLBACK");
            assertThat(fixture.await(pending, "ROLLBACK_FAILURE").path("message").asText()).isEqualTo("ROLLBACK is"
                    + " possible only after status DOWNLOAD_SUCCESS|UPDATE_SUCCESS|ACTIVATION_FAILURE|"
                    + "ACTIVATION_SUCCESS is reported");
            fixture.command("another-activity", "DOWNLOAD");
            fixture.command(pending, "DO");
            fixture.probe().publish(UpdateFixture.COMMAND, "{\"activityId\": \"" + pending + "\", \"payload\": 7}");
            fixture.probe().publish(UpdateFixture.COMMAND, envelope(pending, UpdateFixture.JSON.createObjectNode()
                    .put("command", "DOWNLOAD").put("baseline", "b-x")));
            JsonNode unknown = fixture.await(pending, "DOWNLOAD_FAILURE");
            assertThat(unknown.path("message").asText()).isEqualTo("Unknown baseline b-x");
            assertThat(unknown.path("baseline").asText()).isEqualTo("b-x");
            assertThat(fixture.statuses(pending)).containsExactly("IDENTIFYING", "IDENTIFIED", "UPDATE_FAILURE",
                    "ACTIVATION_FAILURE", "ROLLBACK_FAILURE", "DOWNLOAD_FAILURE");
            assertThat(fixture.feedback("another-activity")).isEmpty();

            // §7.44: CLEANUP right after IDENTIFIED ends the operation, having changed nothing
            fixture.command(pending, "CLEANUP");
            assertThat(fixture.awaitEnd(pending).path("status").asText()).isEqualTo("INCOMPLETE");

            assertThat(fixture.feedback("")).extracting(f -> f.path("status").asText())
                    .containsExactly("IDENTIFICATION_FAILED");
            assertThat(agentLog.at(Level.WARN)).anyMatch(m -> m.startsWith("Dropped a desired state that cannot be"
                    + " read: the message is not JSON")).anyMatch(m -> m.startsWith("Dropped a desired state that"
                    + " cannot be read: activityId must be a string")).anyMatch(m -> m.startsWith("Dropped a current"
                    + " state request that cannot be read")).anyMatch(m -> m.startsWith("Ignoring unknown command"
                    + " \"DO\"")).anyMatch(m -> m.equals("Dropped a command that cannot be read (activity " + pending
                    + "): payload: expected an object"));
            assertThat(driverLog.at(Level.WARN)).anyMatch(m -> m.contains("Ignoring command DOWNLOAD for activity"
                    + " another-activity"));
        }
        assertThat(UpdateFixture.differences(before, fixture.engine().inspectAll())).isEmpty();
    }

    private static void expectIdentificationFailed(String activity, String message, String expected) {
        fixture.probe().publish(UpdateFixture.DESIRED, message);
        JsonNode failed = fixture.await(activity, "IDENTIFICATION_FAILED");
        assertThat(failed.path("message").asText()).isEqualTo(expected);
        assertThat(fixture.statuses(activity)).as("§3.2: no IDENTIFYING before it").containsExactly(
                "IDENTIFICATION_FAILED");
    }

    private static JsonNode baselinePayload() {
        com.fasterxml.jackson.databind.node.ObjectNode p = payload(component("web", "1", "image", APP_1));
        p.putArray("baselines").addObject().put("title", "B1").putArray("components").add("containers:missing");
        return p;
    }
}

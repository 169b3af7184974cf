package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.AgentProcess;
import io.gantry.app.testing.UpdateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent killed with SIGKILL in the middle of a replacement, then started again: the journal lets the new process
 * roll the operation back and report it under its activity id, and nothing is left half-done. The agent runs as a
 * process of its own, started like {@code gantry run --config FILE}.
 */
class CrashRecoveryIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @Test
    void agentKilledWhileTheReplacementSettles_rollsItBackAtTheNextStart_andReportsUnderItsActivityId() {
        interruptedWhileSettling(fixture, AgentProcess::kill);
    }

    @Test
    void agentStoppedWhileTheReplacementSettles_stopsAtTheNextSafePoint_andTheNextStartRollsItBack() {
        interruptedWhileSettling(fixture, process -> {
            long start = System.nanoTime();
            process.close();
            // systemctl stop: the operation stops at its next safe point instead of settling for its whole minute
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        });
    }

    @Test
    void agentKilledRightAfterIdentified_endsTheActivityAtTheNextStart() {
        Path config = fixture.dir().resolve("config.json");
        // orchestrated: the operation waits for the update manager's DOWNLOAD after IDENTIFIED
        Started first = startWithWeb1(fixture, config, "\"mode\": \"orchestrated\"");
        AgentProcess running = first.agent();
        try {
            String activity = fixture.send(payload(component("web", "2", "image", APP_2)));
            fixture.await(activity, "IDENTIFIED");
            first.agent().kill();

            running = startAgent(fixture, config);
            JsonNode end = fixture.awaitEnd(activity);
            assertThat(end.path("status").asText()).isEqualTo("INCOMPLETE");
            assertThat(end.path("message").asText()).isEqualTo("The update agent stopped during this operation,"
                    + " before it changed anything.");
            assertThat(fixture.engine().names()).containsExactly("web");
            assertThat(fixture.engine().inspect("web").path("Id")).isEqualTo(first.web1().path("Id"));
        } finally {
            running.close();
        }
    }

    /**
     * Replaces web while the agent is ended by {@code end} in the middle of settling the replacement, then starts the
     * agent again and checks that the operation was rolled back, reported under its activity id, and left nothing.
     * Also run on Podman ({@link PodmanCrashRecoveryIT}).
     */
    static void interruptedWhileSettling(UpdateFixture fixture, Consumer<AgentProcess> end) {
        Path config = fixture.dir().resolve("config.json");
        // A long settling time is the window in which the agent ends: the new container runs under the real
        // name, the old one is stopped and set aside (DESIGN.md, "Replacing a container").
        Started first = startWithWeb1(fixture, config, "\"settle_time\": \"60s\"");
        AgentProcess running = first.agent();
        try {
            String activity = fixture.send(payload(component("web", "2", "image", APP_2)));
            fixture.await(activity, "ACTIVATING");
            // Podman names the image as it qualified it (docs/engines.md); Docker as written.
            Set<String> app2 = Set.of(APP_2, "docker.io/" + APP_2);
            await().atMost(Duration.ofSeconds(20)).until(() -> fixture.engine().names().stream()
                    .anyMatch(n -> n.startsWith("web.gantry-old-")) && app2.contains(fixture.engine().inspect("web")
                    .path("Config").path("Image").asText()));
            // the current state is answered while an operation runs
            assertThat(UpdateFixture.parameters(fixture.currentState(), "web")).containsEntry("image", List.of(APP_2));
            end.accept(first.agent());

            assertThat(fixture.engine().names()).as("half-done, as the agent left it").hasSize(2);
            assertThat(Files.exists(fixture.dir().resolve("state/update-agent/operation.json"))).isTrue();

            running = startAgent(fixture, config);

            JsonNode end2 = fixture.awaitEnd(activity);
            assertThat(end2.path("status").asText()).isEqualTo("INCOMPLETE");
            assertThat(end2.path("message").asText()).isEqualTo("The update agent stopped during this operation; it"
                    + " was rolled back when the agent started again.");
            assertThat(fixture.statuses(activity)).containsSubsequence("ROLLBACK", "ROLLBACK_SUCCESS",
                    "CLEANUP_SUCCESS", "INCOMPLETE");
            assertThat(fixture.engine().names()).containsExactly("web");
            JsonNode after = fixture.engine().inspect("web");
            assertThat(after.path("Id")).isEqualTo(first.web1().path("Id"));
            assertThat(after.path("Config")).isEqualTo(first.web1().path("Config"));
            assertThat(after.path("State").path("Running").asBoolean()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    !Files.exists(fixture.dir().resolve("state/update-agent/operation.json")));
        } finally {
            running.close();
        }
    }

    /** An agent process and web 1 as the engine reported it once that agent had deployed it. */
    private record Started(AgentProcess agent, JsonNode web1) {
    }

    /**
     * Starts the agent, deploys web 1, then reconfigures the update agent with {@code updateAgent} (JSON members).
     */
    private static Started startWithWeb1(UpdateFixture fixture, Path config, String updateAgent) {
        UpdateFixture.write(config, fixture.config("", ""));
        AgentProcess agent = startAgent(fixture, config);
        fixture.apply(payload(component("web", "1", "image", APP_1)));
        JsonNode web1 = fixture.engine().inspect("web");
        // the log file holds the earlier tests' agents too: wait for one more reconfiguration than it has
        long reconfigured = reconfigurations(agent);
        UpdateFixture.write(config, fixture.config(updateAgent, ""));
        await().atMost(Duration.ofSeconds(20)).until(() -> reconfigurations(agent) > reconfigured);
        return new Started(agent, web1);
    }

    private static long reconfigurations(AgentProcess agent) {
        return agent.log().lines().filter(l -> l.contains("Update agent reconfigured")).count();
    }

    private static AgentProcess startAgent(UpdateFixture fixture, Path config) {
        fixture.probe().clear();
        AgentProcess process = AgentProcess.start(config, fixture.dir().resolve("agent.log"));
        fixture.probe().await(Duration.ofSeconds(60), r -> r.topic().equals(UpdateFixture.CURRENT)
                && r.payload().contains("initial-current-state-"));
        return process;
    }
}

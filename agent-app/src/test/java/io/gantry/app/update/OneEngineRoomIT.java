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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The update agent and the descriptor files share one engine room: an agent killed with SIGKILL while a desired
 * state's replacement settles and a descriptor file waits for its turn leaves one journal, which the next start ends
 * (the desired state rolled back and reported under its activity id), then the file is deployed; no container is
 * left over or doubled. The agent runs as a process of its own, started like {@code gantry run --config FILE}.
 */
class OneEngineRoomIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @Test
    void killedWhileADesiredStateSettlesAndADescriptorFileWaits_leavesNoLeftoverOrDuplicate() throws Exception {
        Path files = Files.createDirectories(fixture.dir().resolve("containers"));
        Path config = fixture.dir().resolve("config.json");
        UpdateFixture.write(config, config(files, ""));
        AgentProcess running = start(config);
        try {
            fixture.apply(payload(component("web", "1", "image", APP_1)));
            JsonNode web1 = fixture.engine().inspect("web");
            // A long settling time is the window in which the agent is killed.
            long reconfigured = reconfigurations(running);
            UpdateFixture.write(config, config(files, "\"settle_time\": \"60s\""));
            AgentProcess agent = running;
            await().atMost(Duration.ofSeconds(20)).until(() -> reconfigurations(agent) > reconfigured);

            String activity = fixture.send(payload(component("web", "2", "image", APP_2)));
            fixture.await(activity, "ACTIVATING");
            Files.writeString(files.resolve("files-web.json"), "{\"container_name\": \"files-web\", \"image\":"
                    + " {\"name\": \"" + APP_1 + "\"}}");
            // read once quiet (a quarter second), then queued behind the settling operation
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(fixture.engine().names()).as("the file waits for its turn").doesNotContain("files-web");
            running.kill();
            assertThat(fixture.engine().names()).as("half-done, as the agent left it").hasSize(2);
            assertThat(Files.exists(fixture.dir().resolve("state/update-agent/operation.json"))).isTrue();
            assertThat(Files.exists(fixture.dir().resolve("state/deployment/operation.json"))).isFalse();

            UpdateFixture.write(config, config(files, ""));
            running = start(config);
            JsonNode end = fixture.awaitEnd(activity);
            assertThat(end.path("status").asText()).isEqualTo("INCOMPLETE");
            assertThat(end.path("message").asText()).isEqualTo("The update agent stopped during this operation; it"
                    + " was rolled back when the agent started again.");
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.engine().names().contains("files-web")
                    && fixture.engine().inspect("files-web").path("State").path("Running").asBoolean()
                    && !Files.exists(fixture.dir().resolve("state/update-agent/operation.json")));
            assertThat(fixture.engine().names()).containsExactlyInAnyOrder("web", "files-web");
            assertThat(fixture.engine().inspect("web").path("Id")).isEqualTo(web1.path("Id"));
            assertThat(fixture.engine().inspect("web").path("State").path("Running").asBoolean()).isTrue();
        } finally {
            running.close();
        }
    }

    /** The fixture's configuration with the descriptor deployment on, over {@code files}. */
    private static String config(Path files, String updateAgent) {
        return fixture.config(updateAgent, "").replace("\"deployment\": {\"enable\": false}",
                "\"deployment\": {\"enable\": true, \"mode\": \"update\", \"directory\": \"" + files + "\"}");
    }

    private static long reconfigurations(AgentProcess agent) {
        return agent.log().lines().filter(l -> l.contains("Update agent reconfigured")).count();
    }

    private static AgentProcess start(Path config) {
        fixture.probe().clear();
        AgentProcess process = AgentProcess.start(config, fixture.dir().resolve("agent.log"));
        fixture.probe().await(Duration.ofSeconds(60), r -> r.topic().equals(UpdateFixture.CURRENT)
                && r.payload().contains("initial-current-state-"));
        return process;
    }
}

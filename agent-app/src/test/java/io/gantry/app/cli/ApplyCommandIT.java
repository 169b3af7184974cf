package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.app.Agent;
import io.gantry.app.testing.AgentProcess;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.core.testing.LogCapture;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.UpdateFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gantry apply} and {@code gantry state} against a real agent, a real broker and a real engine (one of the
 * test's own): with Mosquitto and the agent of {@code gantry run --config FILE}, and as docs/update-agent.md shows
 * it, against {@code gantry run --embedded-broker}.
 */
class ApplyCommandIT {

    private static final String APP = UpdateFixture.APP_1;

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();
    private static AgentUnderTest agent;

    @BeforeAll
    static void start() {
        agent = fixture.startAgent("", "");
    }

    /** The CLI with the agent's own configuration file, as an operator on the gateway runs it. */
    private static CliRun gantry(Path config, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(c -> {
            throw new AssertionError("apply and state talk to the agent, not to the engine");
        }, Clock.systemUTC(), all);
    }

    private static Path file(String name, String json) throws IOException {
        return Files.writeString(fixture.dir().resolve(name), json);
    }

    /**
     * Changes the agent's update settings through its configuration file and waits until the running agent has them;
     * they are applied live, so no "takes effect at the next start" warning may be logged.
     */
    private static void edit(String updateAgent) {
        try (LogCapture log = LogCapture.of(Agent.class)) {
            UpdateFixture.write(agent.configFile(), fixture.config(updateAgent, ""));
            String expected = fixture.config(updateAgent, "");
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.config().updateAgent().equals(
                    io.gantry.config.ConfigLoader.parse(expected, "expected").updateAgent()));
            assertThat(log.at(Level.WARN)).isEmpty();
        }
    }

    private static void mode(String mode) {
        edit("\"mode\": \"" + mode + "\"");
    }

    @Test
    void applyAndState_againstTheAgentOfGantryRun_throughMosquitto() throws IOException {
        mode("auto");
        Path config = agent.configFile();
        int port = Processes.freePort();
        Path list = file("list.json", "[{\"id\": \"web\", \"version\": \"1\", \"image\": \"" + APP + "\", \"port\": "
                + "[\"127.0.0.1:" + port + ":80\"], \"restartPolicy\": \"always\"},"
                + " {\"id\": \"db\", \"version\": \"1\", \"image\": \"" + APP + "\", \"env\": [\"A=1\"]}]");

        CliRun applied = gantry(config, "apply", "-f", list.toString());

        assertThat(applied.exit()).as(applied.toString()).isEqualTo(ExitCodes.OK);
        assertThat(applied.out()).contains("  COMPLETED\n", "web (1)   ACTIVATION_SUCCESS   New container instance"
                + " is started.");
        assertThat(fixture.engine().names()).containsExactlyInAnyOrder("web", "db");
        assertThat(fixture.engine().inspect("web").path("HostConfig").path("RestartPolicy").path("Name").asText())
                .isEqualTo("always");

        CliRun state = gantry(config, "state");
        assertThat(state.exit()).as(state.toString()).isEqualTo(ExitCodes.OK);
        assertThat(state.out().lines().toList()).hasSize(3).anySatisfy(l -> assertThat(l).matches(
                "web +1 +" + APP + " +Running +yes +127\\.0\\.0\\.1:" + port + ":80/tcp"));
        JsonNode inventory = new ObjectMapper().readTree(gantry(config, "state", "-o", "json").out());
        assertThat(inventory.path("softwareNodes")).hasSize(3);

        CliRun again = gantry(config, "apply", "-f", list.toString());
        assertThat(again.exit()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("No changes detected, existing container will be check only if it is"
                + " running.");

        CliRun broken = gantry(config, "apply", "-f", file("broken.json", "[{\"id\": \"web\", \"version\": \"2\","
                + " \"image\": \"" + APP + "\", \"cmd\": [\"sh\", \"-c\", \"exit 4\"]}]").toString());
        assertThat(broken.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(broken.err()).containsPattern("gantry: activity [0-9a-f-]+ ended INCOMPLETE: ACTIVATION_FAILURE"
                + " of containers:web: container web exited with code 4 while settling");
        assertThat(fixture.engine().names()).containsExactlyInAnyOrder("web", "db");
    }

    @Test
    void applyDrive_againstAnAgentInOrchestratedMode_completes() throws IOException {
        mode("orchestrated");
        try {
            CliRun run = gantry(agent.configFile(), "apply", "--drive", "-f", file("one.json",
                    "[{\"id\": \"solo\", \"version\": \"1\", \"image\": \"" + APP + "\"}]").toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("sent DOWNLOAD", "sent UPDATE", "sent ACTIVATE", "sent CLEANUP");
            assertThat(fixture.engine().names()).containsExactly("solo");
        } finally {
            mode("auto");
        }
    }

    @Test
    void domainChangedWhileRunning_theAgentAndTheCliMoveToItsTopics() throws IOException {
        edit("\"domain\": \"edge-apps\"");
        try {
            CliRun run = gantry(agent.configFile(), "apply", "-f", file("edge.json", "[{\"id\": \"edge\", \"version\":"
                    + " \"1\", \"image\": \"" + APP + "\"}]").toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.err()).contains(" on edgeappsupdate/desiredstate");
            assertThat(gantry(agent.configFile(), "state").out()).contains("edge ");
            // the old topics are no longer served
            String old = fixture.send(UpdateFixture.payload());
            assertThat(gantry(agent.configFile(), "state", "--timeout", "1s").exit()).isEqualTo(ExitCodes.OK);
            assertThat(fixture.feedback(old)).isEmpty();
        } finally {
            edit("");
        }
    }

    @Test
    void updateAgentDisabledAndEnabledWhileRunning_stopsAndStartsAnsweringTheCli() {
        edit("\"enable\": false");
        try {
            assertThat(gantry(agent.configFile(), "state", "--timeout", "1s").exit()).isEqualTo(ExitCodes.TIMEOUT);
        } finally {
            edit("");
        }
        assertThat(gantry(agent.configFile(), "state").exit()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void docExample_gantryRunWithTheEmbeddedBroker_thenApplyAndState() throws IOException {
        int port = Processes.freePort();
        // The agent of docs/update-agent.md's example, on this test's engine; the CLI finds it by broker_url alone.
        Path agentConfig = file("embedded-agent.json", "{\"engine\": {\"host\": \"" + fixture.engine().host() + "\"},"
                + " \"things\": {\"enable\": false}, \"deployment\": {\"enable\": false}, \"state_dir\": \""
                + fixture.dir().resolve("embedded-state") + "\", \"update_agent\": {\"settle_time\": \"1s\"}}");
        Path cliConfig = file("cli.json", "{\"connection\": {\"broker_url\": \"tcp://localhost:" + port + "\"}}");
        try (AgentProcess embedded = AgentProcess.start(agentConfig, fixture.dir().resolve("embedded.log"),
                List.of("--embedded-broker", "--broker-port", Integer.toString(port)))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(embedded.isAlive()).as(embedded.log()).isTrue();
                return gantry(cliConfig, "state", "--timeout", "2s").exit() == ExitCodes.OK;
            });

            CliRun run = gantry(cliConfig, "apply", "-f", file("hello.json", "[{\"id\": \"hello\", \"version\": \"1\","
                    + " \"image\": \"" + APP + "\"}]").toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(gantry(cliConfig, "state").out()).contains("hello ");
            assertThat(fixture.engine().names()).contains("hello");
        }
    }
}

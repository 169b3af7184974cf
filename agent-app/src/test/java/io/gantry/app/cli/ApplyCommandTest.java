package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.update.UpdateAgent;
import io.gantry.update.protocol.Command;
import io.gantry.update.protocol.FeedbackStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code gantry apply} against a real update agent on the fake engine, both on an in-memory broker: what it sends,
 * what it prints as the feedback arrives, and how its exit code tells the outcome.
 */
class ApplyCommandTest {

    private static final String IMAGE = "registry.example.com/app:1";
    private static final Clock AGENT_CLOCK = Clock.fixed(Instant.parse("2024-06-28T07:40:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final FakeContainerEngine fake = new FakeContainerEngine(AGENT_CLOCK).withImage(IMAGE);
    private final Loopback broker = new Loopback();
    private UpdateAgent agent;

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    private void startAgent(String mode) {
        agent = new UpdateAgent(new UpdateAgentConfig(true, mode, "containers", List.of(), false, Duration.ZERO,
                Duration.ofSeconds(2)), fake, broker, AGENT_CLOCK, dir.resolve("state"));
        agent.start();
    }

    private CliRun gantry(String config, String... args) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), config);
        List<String> all = new ArrayList<>(List.of("--config", file.toString()));
        all.addAll(List.of(args));
        return CliRun.of(c -> fake, broker.factory(), Clock.systemUTC(), all.toArray(String[]::new));
    }

    private Path desired(String json) throws IOException {
        return Files.writeString(dir.resolve("desired.json"), json);
    }

    @Test
    void apply_list_againstAnAgentInAutoMode_printsTheFeedbackAsItArrives_andExitsZero() throws IOException {
        startAgent(UpdateAgentConfig.AUTO);

        CliRun run = gantry("{}", "apply", "-f", desired("[{\"id\": \"web\", \"version\": \"1\", \"image\": \""
                + IMAGE + "\", \"port\": [\"8080:80\"]}]").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).matches("Applying .*desired.json as activity [0-9a-f-]{36} on "
                + "containersupdate/desiredstate\\n");
        assertThat(run.out()).isEqualTo("""
                07:40:00  IDENTIFYING
                07:40:00  IDENTIFIED
                          web (1)   IDENTIFIED   New container will be created and started.
                07:40:00  DOWNLOADING
                          web (1)   DOWNLOADING   New container will be created and started.
                07:40:00  DOWNLOAD_SUCCESS
                          web (1)   DOWNLOAD_SUCCESS   New container created.
                07:40:00  UPDATE_SUCCESS
                07:40:00  ACTIVATING
                          web (1)   ACTIVATING   New container created.
                07:40:00  ACTIVATION_SUCCESS
                          web (1)   ACTIVATION_SUCCESS   New container instance is started.
                07:40:00  CLEANUP_SUCCESS
                07:40:00  COMPLETED
                """);
        assertThat(fake.find("web").orElseThrow().spec().ports()).hasSize(1);
    }

    @Test
    void apply_valueKantoDrops_showsTheWarningInTheOutput_andDeploysWithoutIt() throws IOException {
        startAgent(UpdateAgentConfig.AUTO);

        CliRun run = gantry("{}", "apply", "-f", desired("[{\"id\": \"web\", \"version\": \"1\", \"image\": \""
                + IMAGE + "\", \"port\": [\"localhost:55555:30555-30555/tcp\", \"8080:80-81\"]}]").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("IDENTIFIED  component web: port \"8080:80-81\" is dropped (invalid port"
                + " mapping \"8080:80-81\": a container port range (80-81) is not supported: map one container port)");
        assertThat(fake.find("web").orElseThrow().spec().ports()).extracting(Object::toString)
                .containsExactly("127.0.0.1:55555:30555/tcp");
    }

    @Test
    void apply_drive_againstAnAgentInOrchestratedMode_sendsEachCommandInTurn_andCompletes() throws IOException {
        startAgent(UpdateAgentConfig.ORCHESTRATED);

        CliRun run = gantry("{}", "apply", "--drive", "-f", desired("[{\"id\": \"web\", \"version\": \"1\", "
                + "\"image\": \"" + IMAGE + "\"}]").toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines().filter(l -> l.contains("sent ")).map(l -> l.substring(10)).toList())
                .containsExactly("sent DOWNLOAD", "sent UPDATE", "sent ACTIVATE", "sent CLEANUP");
        assertThat(run.out()).endsWith("COMPLETED\n");
        assertThat(fake.find("web")).isPresent();
    }

    @Test
    void apply_withoutDrive_againstAWaitingAgent_saysWhy_andTimesOut() throws IOException {
        startAgent(UpdateAgentConfig.ORCHESTRATED);

        CliRun run = gantry("{\"update_agent\": {\"mode\": \"orchestrated\"}}", "apply", "--timeout", "500ms", "-f",
                desired("[{\"id\": \"web\", \"version\": \"1\", \"image\": \"" + IMAGE + "\"}]").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(run.err()).contains("The update agent waits for an update manager's commands (update_agent.mode"
                + " is orchestrated); gantry apply --drive sends them.");
        assertThat(run.err()).containsPattern("gantry: activity [0-9a-f-]+ did not end within 500ms \\(last status:"
                + " IDENTIFIED\\)\\n$");
        assertThat(fake.find("web")).isEmpty();
    }

    @Test
    void apply_dash_readsStandardInput() throws IOException {
        startAgent(UpdateAgentConfig.AUTO);
        java.io.InputStream stdin = System.in;
        System.setIn(new java.io.ByteArrayInputStream(("[{\"id\": \"web\", \"image\": \"" + IMAGE + "\"}]")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        CliRun run;
        try {
            run = gantry("{}", "apply", "-f", "-");
        } finally {
            System.setIn(stdin);
        }

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).startsWith("Applying standard input as activity ");
        assertThat(fake.find("web")).isPresent();
    }

    @Test
    void apply_withoutAnyAgent_timesOut_askingWhetherOneListens() throws IOException {
        CliRun run = gantry("{\"update_agent\": {\"domain\": \"my-ctrs\"}}", "apply", "--timeout", "300ms", "-f",
                desired("[{\"id\": \"web\", \"image\": \"" + IMAGE + "\"}]").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(run.err()).contains("on myctrsupdate/desiredstate\n").containsPattern("gantry: activity [0-9a-f-]+"
                + " did not end within 300ms \\(no feedback at all: is an update agent of domain my-ctrs connected to"
                + " the broker\\?\\)\n$");
        assertThat(broker.recording.publishedOn("myctrsupdate/desiredstate")).hasSize(1);
    }

    @Test
    void apply_failedOperation_exitsOne_withTheReasonOnOneLine() throws IOException {
        startAgent(UpdateAgentConfig.AUTO);

        CliRun run = gantry("{}", "apply", "-f", desired("{\"activityId\": \"act-7\", \"payload\": {\"domains\": [{"
                + "\"id\": \"containers\", \"components\": [{\"id\": \"web\", \"version\": \"9\", \"config\": [{"
                + "\"key\": \"image\", \"value\": \"registry.example.com/missing:9\"}]}]}]}}").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        // nothing was created before the pull failed, so there is nothing to roll back
        assertThat(run.out()).contains("DOWNLOAD_FAILURE", "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(run.err()).endsWith("gantry: activity act-7 ended INCOMPLETE: DOWNLOAD_FAILURE of containers:web:"
                + " " + lastLineMessage(run) + "\n");
        assertThat(fake.list()).isEmpty();
    }

    /** The agent's reason for the failure, as the final feedback line printed it. */
    private static String lastLineMessage(CliRun run) {
        List<String> lines = run.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        return last.substring(last.indexOf("DOWNLOAD_FAILURE of containers:web: ")
                + "DOWNLOAD_FAILURE of containers:web: ".length());
    }

    @Test
    void apply_refusedByTheAgent_exits65() throws IOException {
        fake.addUnmanaged(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("web")).build());
        startAgent(UpdateAgentConfig.AUTO);

        CliRun run = gantry("{}", "apply", "-f", desired("[{\"id\": \"web\", \"image\": \"" + IMAGE + "\"}]")
                .toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.out()).startsWith("07:40:00  IDENTIFYING\n07:40:00  IDENTIFICATION_FAILED  container web"
                + " exists but was not created by Gantry");
        assertThat(run.err()).contains("ended IDENTIFICATION_FAILED: container web exists but was not created by"
                + " Gantry");
    }

    @Test
    void apply_invalidFile_exits65_naming_theFileAndThePath_andSendsNothing() throws IOException {
        startAgent(UpdateAgentConfig.AUTO);
        Path file = desired("[{\"id\": \"web\", \"image\": \"" + IMAGE + "\", \"restartPolicy\": \"sometimes\"}]");

        CliRun run = gantry("{}", "apply", "-f", file.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("gantry: " + file + ": [0]: cannot convert desired state components to"
                + " container configurations: invalid configuration for container web: unsupported restart policy"
                + " type sometimes\n");
        assertThat(broker.recording.publishedOn("containersupdate/desiredstate")).isEmpty();
    }

    @Test
    void apply_missingFile_exits65() throws IOException {
        CliRun run = gantry("{}", "apply", "-f", dir.resolve("nowhere.json").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err()).isEqualTo("gantry: " + dir.resolve("nowhere.json") + ": no such file\n");
    }

    @Test
    void apply_outputJson_printsEveryFeedbackMessage_oneLineEach() throws IOException {
        startAgent(UpdateAgentConfig.AUTO);

        CliRun run = gantry("{}", "apply", "-o", "json", "-f", desired("{\"activityId\": \"act-j\", \"payload\": "
                + "{\"domains\": [{\"id\": \"containers\", \"components\": [{\"id\": \"web\", \"version\": \"1\","
                + " \"config\": [{\"key\": \"image\", \"value\": \"" + IMAGE + "\"}]}]}]}}").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.OK);
        List<JsonNode> lines = run.out().lines().map(ApplyCommandTest::json).toList();
        assertThat(lines).extracting(l -> l.path("payload").path("status").asText()).containsExactly("IDENTIFYING",
                "IDENTIFIED", "DOWNLOADING", "DOWNLOAD_SUCCESS", "UPDATE_SUCCESS", "ACTIVATING", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        assertThat(lines).allSatisfy(l -> assertThat(l.path("activityId").asText()).isEqualTo("act-j"));
    }

    @Test
    void apply_brokerDown_exits69_namingTheBroker() throws IOException {
        broker.unreachable();

        CliRun run = gantry("{\"connection\": {\"broker_url\": \"tcp://gateway:1884\","
                + " \"connect_timeout\": \"300ms\"}}", "apply", "-f",
                desired("[{\"id\": \"web\", \"image\": \"" + IMAGE + "\"}]").toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).endsWith("gantry: cannot reach the MQTT broker at tcp://gateway:1884 within 300ms"
                + " (connection.broker_url of the configuration)\n");
    }

    @Test
    void apply_badTimeout_isAUsageError() throws IOException {
        CliRun run = gantry("{}", "apply", "--timeout", "soon", "-f", "x.json");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("gantry: Invalid value for option '--timeout': \"soon\" is not a duration"
                + " (e.g. 20s, 1m)\n");
    }

    @ParameterizedTest
    @CsvSource({
            "IDENTIFIED, true, DOWNLOAD",
            "IDENTIFIED, false, ",
            "DOWNLOAD_SUCCESS, true, UPDATE",
            "UPDATE_SUCCESS, true, ACTIVATE",
            "ACTIVATION_SUCCESS, true, CLEANUP",
            "DOWNLOAD_FAILURE, true, CLEANUP",
            "UPDATE_FAILURE, true, CLEANUP",
            "ACTIVATION_FAILURE, true, CLEANUP",
            "DOWNLOADING, true, ",
            "ROLLBACK_SUCCESS, true, ",
            "CLEANUP_SUCCESS, true, "})
    void nextCommand_isWhatAnUpdateManagerSends(FeedbackStatus status, boolean hasActions, Command expected) {
        assertThat(ApplyCommand.nextCommand(status, hasActions)).isEqualTo(Optional.ofNullable(expected));
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}

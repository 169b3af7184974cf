package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.status.LiveStatus;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.core.container.Container;
import io.gantry.update.journal.Journal;
import io.gantry.update.journal.JournalRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gantry doctor} against the real engine and a real Mosquitto with a password: every check passes on a healthy
 * gateway, and each failure mode is made to happen for real, with its line, its fix and exit code 1.
 */
class DoctorIT {

    private static final String USER = "gantry";
    private static final String PASSWORD = "doctor-Pa55";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path brokerDir;
    static Mosquitto mosquitto;

    @TempDir
    Path dir;
    private Path stateDir;
    private Path synced;

    @BeforeAll
    static void startBroker() throws Exception {
        mosquitto = Mosquitto.withUser(brokerDir, USER, PASSWORD).start();
    }

    @AfterAll
    static void stopBroker() {
        mosquitto.stop();
    }

    @BeforeEach
    void files() throws Exception {
        stateDir = Files.createDirectories(dir.resolve("state"));
        synced = Files.writeString(dir.resolve("time-status"), "synced by ntp\n");
    }

    private Path config(String broker, String password, String extra) throws Exception {
        return Files.writeString(dir.resolve("config.json"), """
                {
                  "connection": {"broker_url": "%s", "client_username": "%s", "client_password": "%s"},
                  "things": {"device_id": "doctor:gateway", "tenant_id": "t"},
                  "state_dir": "%s"%s
                }
                """.formatted(broker, USER, password, stateDir, extra));
    }

    private Path healthyConfig() throws Exception {
        return config(mosquitto.url(), PASSWORD, "");
    }

    private static CliRun doctor(String... args) {
        List<String> all = new ArrayList<>(List.of("doctor", "--wait", "3"));
        all.addAll(List.of(args));
        return CliRun.of(config -> new DockerContainerEngine(() -> config), TransportFactory.hiveMq(),
                Clock.systemUTC(), all.toArray(String[]::new));
    }

    private static String line(CliRun run, String check) {
        return run.out().lines().filter(l -> l.substring(6).startsWith(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + check + " in\n" + run.out()));
    }

    @Test
    void healthyGateway_everyCheckPasses_exit0() throws Exception {
        CliRun run = doctor("--config", healthyConfig().toString(), "--time-status", synced.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out().lines()).hasSize(8).allMatch(l -> l.startsWith("OK  "));
        assertThat(line(run, "engine")).contains("API ", "storage driver ", "cgroup v", "kernel paths readable");
        assertThat(line(run, "broker")).contains("round trip as " + USER).doesNotContain(PASSWORD);
        assertThat(line(run, "disk")).contains("(data root)", "images", "reclaimable", "(state_dir)");
    }

    @Test
    void json_listsEveryCheckWithItsVerdict() throws Exception {
        CliRun run = doctor("--config", healthyConfig().toString(), "--time-status", synced.toString(), "-o",
                "json");

        JsonNode root = JSON.readTree(run.out());
        assertThat(root.path("ok").asBoolean()).isTrue();
        List<String> checks = new ArrayList<>();
        root.path("checks").forEach(c -> {
            checks.add(c.path("check").asText());
            assertThat(c.path("verdict").asText()).isEqualTo("ok");
            assertThat(c.has("fix")).isFalse();
        });
        assertThat(checks).containsExactly("configuration", "engine", "broker", "twin identity", "update journal",
                "disk", "clock", "images");
    }

    @Test
    void brokerDown_failsWithTheFix() throws Exception {
        String nothing = "tcp://127.0.0.1:" + Processes.freePort();
        CliRun run = doctor("--config", config(nothing, PASSWORD, "").toString(), "--time-status",
                synced.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "broker")).startsWith("FAIL").contains("cannot connect to " + nothing)
                .contains("connection refused").contains("fix: start the broker");
        assertThat(line(run, "twin identity")).startsWith("WARN");
    }

    @Test
    void wrongPassword_failsAndNeverPrintsIt() throws Exception {
        CliRun run = doctor("--config", config(mosquitto.url(), "wrong-Pa55", "").toString(), "--time-status",
                synced.toString(), "-o", "json");

        assertThat(run.exit()).isEqualTo(1);
        JsonNode broker = JSON.readTree(run.out()).path("checks").get(2);
        assertThat(broker.path("verdict").asText()).isEqualTo("fail");
        assertThat(broker.path("fix").asText()).contains("password");
        assertThat(broker.path("detail").asText()).contains("the broker refused the credentials of user '" + USER + "'")
                .containsAnyOf("NOT_AUTHORIZED", "BAD_USER_NAME_OR_PASSWORD");
        assertThat(run.out() + run.err()).doesNotContain("wrong-Pa55").doesNotContain(PASSWORD);
    }

    @Test
    void wrongPassword_theLineNamesTheRefusal() throws Exception {
        CliRun run = doctor("--config", config(mosquitto.url(), "wrong-Pa55", "").toString(), "--time-status",
                synced.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "broker")).startsWith("FAIL").contains("the broker refused the credentials")
                .doesNotContain("no answer").contains("fix: correct connection.client_username and client_password");
        assertThat(run.out() + run.err()).doesNotContain("wrong-Pa55").doesNotContain(PASSWORD);
    }

    @Test
    void runningAgent_theTwinLineShowsItsLiveStatus_andFallsBackOnceItStops() throws Exception {
        Path config = healthyConfig();
        try (AgentUnderTest agent = AgentUnderTest.start(Files.createDirectories(dir.resolve("agent")),
                Files.readString(config))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (LiveStatus.readLive(stateDir).flatMap(LiveStatus::lastFullPublication).isEmpty()) {
                assertThat(System.nanoTime()).as("the agent published its twin").isLessThan(deadline);
                Thread.sleep(100);
            }

            CliRun run = doctor("--config", config.toString(), "--time-status", synced.toString());

            assertThat(line(run, "twin identity")).startsWith("OK").contains("gantry run (pid "
                    + ProcessHandle.current().pid() + ") is connected; thing ", "whole twin last published at ");
        }
        assertThat(stateDir.resolve(LiveStatus.FILE)).doesNotExist();

        CliRun after = doctor("--config", config.toString(), "--time-status", synced.toString());

        assertThat(line(after, "twin identity")).startsWith("OK").contains("static device id doctor:gateway");
    }

    @Test
    void engineSocketMissing_failsTheEngineAndSkipsWhatNeedsIt() throws Exception {
        String missing = "unix://" + dir.resolve("no-such-docker.sock");
        CliRun run = doctor("--config", healthyConfig().toString(), "--host", missing, "--time-status",
                synced.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "engine")).startsWith("FAIL").contains(missing).contains("fix: start the engine");
        assertThat(line(run, "images")).startsWith("WARN").contains("the engine does not answer");
        assertThat(line(run, "broker")).startsWith("OK");
    }

    @Test
    void smallDataRoot_failsTheDiskCheckWithFreeAndNeeded() throws Exception {
        try (PrivateEngine small = PrivateEngine.startOnTmpfs("48m")) {
            CliRun run = doctor("--config", healthyConfig().toString(), "--host", small.host(), "--time-status",
                    synced.toString());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(line(run, "disk")).startsWith("FAIL").containsPattern("has \\d+\\.\\d MiB free, "
                    + "engine.min_free_space needs 256\\.0 MiB").contains("fix: free space");
        }
    }

    @Test
    void aManagedContainersImageGone_failsTheImagesCheck() throws Exception {
        try (PrivateEngine engine = PrivateEngine.start()) {
            String image = "gantry-test/doctor-gone:1";
            Processes.docker(engine.host(), "tag", TestImages.ensureBusybox(engine.host()), image);
            Processes.docker(engine.host(), "create", "--name", "gone", "--label", Container.MANAGED_LABEL + "=true",
                    image, "true");
            // The engine keeps the layers the container runs from; the name the container was made from is gone.
            Processes.docker(engine.host(), "rmi", "-f", image);

            CliRun run = doctor("--config", healthyConfig().toString(), "--host", engine.host(), "--time-status",
                    synced.toString());

            assertThat(run.exit()).isEqualTo(1);
            assertThat(line(run, "images")).startsWith("FAIL").contains("missing for gone (" + image + ")")
                    .contains("fix: pull them again");
        }
    }

    @Test
    void unsynchronisedClock_fails() throws Exception {
        Path empty = Files.writeString(dir.resolve("time-status-empty"), "");
        CliRun run = doctor("--config", healthyConfig().toString(), "--time-status", empty.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "clock")).startsWith("FAIL").contains("not synchronised").contains("fix: ");
    }

    @Test
    void stuckJournaledOperation_fails() throws Exception {
        Journal journal = new Journal(stateDir);
        journal.write(new JournalRecord(JournalRecord.FORMAT, "op-stuck", "activity-7", "containers", "auto", null,
                List.of()));
        Files.setLastModifiedTime(journal.file(), FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));

        CliRun run = doctor("--config", healthyConfig().toString(), "--time-status", synced.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "update journal")).startsWith("FAIL").contains("op-stuck", "activity-7", "stuck")
                .contains("fix: start Gantry");
    }

    @Test
    void invalidConfiguration_failsAndTheRestRunsOnDefaults() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"engine\": {\"hots\": \"x\"}}");

        CliRun run = doctor("--config", bad.toString(), "--time-status", synced.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "configuration")).startsWith("FAIL").contains("engine.hots").contains("fix: ");
        assertThat(run.out().lines()).hasSize(8);
    }

    @Test
    void noConnectorAndNoStaticDeviceId_failsTheTwinIdentity() throws Exception {
        Path config = Files.writeString(dir.resolve("dynamic.json"), """
                {
                  "connection": {"broker_url": "%s", "client_username": "%s", "client_password": "%s"},
                  "state_dir": "%s"
                }
                """.formatted(mosquitto.url(), USER, PASSWORD, stateDir));

        CliRun run = doctor("--config", config.toString(), "--time-status", synced.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run, "twin identity")).startsWith("FAIL").contains("no edge/thing/response")
                .contains("fix: start the cloud connector");
    }
}

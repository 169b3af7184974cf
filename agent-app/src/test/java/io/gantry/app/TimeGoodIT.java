package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.cli.CliRun;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "time good" signal end to end: a real agent reads the status file the test controls, publishes it as the
 * twin's Gantry feature over a real Mosquitto, and keeps the file that a real container, which asked for it by label,
 * reads through the read-only mount Gantry gave it.
 */
class TimeGoodIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENTS = "e/time-good/time.good:gw:edge:containers";

    @TempDir
    Path dir;
    private Mosquitto broker;
    private AgentUnderTest agent;
    private MqttProbe cloud;

    @AfterEach
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anUnsynchronisedClockThatGetsSynchronised_reachesTheTwinAndContainers() throws Exception {
        TestImages.ensureBusybox(null);
        Path status = Files.writeString(dir.resolve("time-status"), "");
        broker = Mosquitto.on(dir).start();
        cloud = MqttProbe.connect(broker.port()).subscribe("e/#");
        Path state = dir.resolve("state");
        agent = AgentUnderTest.start(dir.resolve("agent"), """
                {"connection": {"broker_url": "tcp://127.0.0.1:%d"},
                 "things": {"device_id": "time.good:gw", "tenant_id": "time-good", "features": ["Gantry"]},
                 "update_agent": {"enable": false},
                 "deployment": {"enable": false},
                 "time_sync": {"status_file": "%s", "check_interval": "1s"},
                 "state_dir": "%s"}
                """.formatted(broker.port(), status, state));

        // The first check runs beside the twin's start: the status arrives with the whole feature or right after it.
        cloud.await(WAIT, MqttProbe.on(EVENTS).and(MqttProbe.containing("\"path\":\"/features/Gantry"))
                .and(MqttProbe.containing("\"synchronised\":false")));
        Path shared = state.resolve("time").resolve(".time-status");
        assertThat(Files.readString(shared)).isEmpty();
        assertThat(agent.warnings()).anyMatch(w -> w.contains("The system clock is not synchronised (" + status
                + " is empty)"));

        Files.writeString(status, "synced by the test\n");

        cloud.await(WAIT, MqttProbe.on(EVENTS)
                .and(MqttProbe.containing("\"path\":\"/features/Gantry/properties/timeSync\""))
                .and(MqttProbe.containing("\"synchronised\":true")));
        assertThat(Files.readString(shared)).isEqualTo("synchronised\n");
        // A container Gantry creates asks for the file by label; Gantry mounts its directory read-only at /host.
        String name = "time-good-" + UUID.randomUUID().toString().substring(0, 8);
        CliRun created = CliRun.of(config -> new DockerContainerEngine(() -> config), Clock.systemUTC(), "--config",
                agent.configFile().toString(), "create", "--name", name, "--start", "--label",
                "gantry.time.status=/host", "--restart", "no", TestImages.BUSYBOX, "sh", "-c",
                "cat /host/.time-status; echo more > /host/.time-status && echo WRITABLE");
        assertThat(created.exit()).as(created.err()).isZero();
        try {
            Processes.run("docker", "wait", name);
            String seen = Processes.run("docker", "logs", name);
            assertThat(seen).isEqualTo("synchronised"); // and not "WRITABLE": the mount is read-only
            assertThat(Files.readString(shared)).isEqualTo("synchronised\n");
        } finally {
            Processes.run("docker", "rm", "-f", name);
        }
    }
}

package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Reply;
import io.gantry.app.testing.PodmanEngine;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The twin end to end on Podman: a real agent whose {@code engine.host} is a rootful Podman's socket (and nothing else
 * set for it), a real Mosquitto and the cloud-side probe. What Kanto's consumers read must be what they read on
 * Docker: the whole twin, commands and their replies, STOPPED for a stop and EXITED for an exit of its own, DEAD then
 * deleted for a forced removal, and the Metrics feature's data from the kernel path.
 */
class PodmanTwinIT {

    private static PodmanEngine podman;
    private static TwinTestbed bed;
    private static DittoProbe cloud;
    private static TestContainers docker;
    private static String existing;
    /** The {@code properties.status} of {@link #existing} in the agent's first, whole publication. */
    private static JsonNode existingStatus;

    @BeforeAll
    static void startPodmanAndAgent() {
        podman = PodmanEngine.start();
        bed = TwinTestbed.prepare("podman-twin", TwinTestbed.KANTO, podman.host());
        cloud = bed.probe();
        docker = bed.containers();
        existing = docker.run("existing", TestImages.BUSYBOX);
        bed.startAgent(TwinTestbed.KANTO_DEVICE);
        cloud.awaitEvent(e -> path(e).equals("/features/Metrics"));
        existingStatus = cloud.awaitFeature(existing);
    }

    @AfterAll
    static void stopAgentAndPodman() {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (podman != null) {
                podman.close();
            }
        }
    }

    @BeforeEach
    void lookOnlyAtNewMessages() {
        cloud.forget();
    }

    private static String feature(String id) {
        return "Container:" + id;
    }

    @Test
    void wholeTwin_showsPodmansContainer_withTheImageAsPodmanNamesIt() {
        JsonNode status = existingStatus;

        assertThat(status.at("/state/status").asText()).isEqualTo("RUNNING");
        assertThat(status.at("/state/pid").asLong()).isPositive();
        // Made by hand with "gantry-test/busybox:1": Podman keeps the fully qualified name (docs/engines.md).
        assertThat(status.path("imageRef").asText()).isEqualTo("docker.io/" + TestImages.BUSYBOX);
        assertThat(status.path("name").asText()).isEqualTo(docker.name("existing"));
    }

    @Test
    void stopThenStart_commands_showStoppedThenRunning() {
        String id = bed.running("stop");

        assertThat(cloud.command("stop", feature(id), null).status()).isEqualTo(204);
        cloud.awaitState(id, "STOPPED");
        assertThat(docker.inspect(id, "{{.State.Status}}")).isEqualTo("exited");

        assertThat(cloud.command("start", feature(id), null).status()).isEqualTo(204);
        cloud.awaitState(id, "RUNNING");
    }

    @Test
    void exitOfItsOwn_isExited_withItsCode() {
        String id = docker.run("exits", TestImages.BUSYBOX, "sh", "-c", "sleep 1; exit 3");

        JsonNode exited = cloud.awaitState(id, "EXITED");

        assertThat(exited.at("/value/exitCode").asInt()).isEqualTo(3);
        assertThat(cloud.containerEvents(id)).noneMatch(e -> e.endsWith("STOPPED"));
    }

    @Test
    void pauseAndResume_commands() {
        String id = bed.running("pause");

        assertThat(cloud.command("pause", feature(id), null).status()).isEqualTo(204);
        cloud.awaitState(id, "PAUSED");
        assertThat(cloud.command("resume", feature(id), null).status()).isEqualTo(204);
        cloud.awaitState(id, "RUNNING");
    }

    @Test
    void createFromTheFactory_thenForcedRemove_isDeadThenDeleted() {
        Reply created = cloud.command("create", "ContainerFactory",
                "{\"imageRef\":\"" + TestImages.BUSYBOX + "\",\"start\":true}");
        assertThat(created.status()).isEqualTo(200);
        String id = created.value().asText();
        JsonNode running = cloud.awaitStatus(id, "RUNNING");
        // Gantry's own container keeps the reference as the command gave it.
        assertThat(cloud.awaitFeature(id).path("imageRef").asText()).isEqualTo(TestImages.BUSYBOX);
        assertThat(running.path("path").asText()).startsWith("/features/Container:" + id);
        assertThat(docker.exists(id)).isTrue();

        assertThat(cloud.command("remove", feature(id), "true").status()).isEqualTo(204);

        cloud.awaitDeleted(id);
        assertThat(cloud.containerEvents(id)).endsWith("modify /properties/status/state DEAD", "delete ");
        assertThat(docker.exists(id)).isFalse();
    }

    @Test
    void metricsRequest_sendsFiguresOfPodmansContainer() {
        assertThat(cloud.command("request", "Metrics", "{\"frequency\":\"1s\"}").status()).isEqualTo(204);
        try {
            JsonNode data = cloud.awaitEvent(e -> path(e).equals("/features/Metrics/outbox/messages/data")
                    && e.toString().contains("Container:" + existing));
            JsonNode mine = null;
            for (JsonNode entry : data.at("/value/snapshot")) {
                if (entry.path("originator").asText().equals("Container:" + existing)) {
                    mine = entry;
                }
            }
            assertThat(mine).isNotNull();
            assertThat(mine.toString()).contains("\"memory.used\"", "\"memory.total\"", "\"pids\"");
        } finally {
            cloud.command("request", "Metrics", "{\"frequency\":\"0s\"}");
        }
    }
}

package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.containerPath;
import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Reply;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine restarted under a running agent (issue 3: "after every … engine restart … the whole twin is
 * re-published from the engine's state"), on a {@link PrivateEngine} of the test's own. While the engine is down,
 * commands get Kanto's 500 with the engine's error. The daemon then comes back first on another socket, where the test
 * changes containers without the agent seeing it, and then on the agent's socket: the twin must show the engine as it
 * is now, including those changes.
 */
class TwinEngineRestartIT {

    private static PrivateEngine dockerd;
    private static TwinTestbed bed;
    private static DittoProbe cloud;
    private static TestContainers docker;

    @BeforeAll
    static void startDaemonAndAgent() {
        dockerd = PrivateEngine.start();
        bed = TwinTestbed.prepare("twin-engine", TwinTestbed.KANTO, dockerd.host());
        cloud = bed.probe();
        docker = bed.containers();
        bed.startAgent(TwinTestbed.KANTO_DEVICE);
        cloud.awaitEvent(e -> path(e).equals("/features/Metrics"));
    }

    @AfterAll
    static void stopAll() {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (dockerd != null) {
                dockerd.close();
            }
        }
    }

    private static String docker(String socket, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "docker";
        all[1] = "-H";
        all[2] = socket;
        System.arraycopy(args, 0, all, 3, args.length);
        return Processes.run(all);
    }

    @Test
    void engineDownThenRestarted_commandsGetTheEngineError_thenTheTwinIsRepublishedAsTheEngineIsNow() {
        String plain = docker.run("plain", TestImages.BUSYBOX);
        String always = docker.run("always", "--restart", "always", TestImages.BUSYBOX);
        String doomed = docker.create("doomed", TestImages.BUSYBOX);
        cloud.awaitStatus(plain, "RUNNING");
        cloud.awaitStatus(always, "RUNNING");
        cloud.awaitStatus(doomed, "CREATED");

        dockerd.crash();
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.agent().warnings().stream()
                .anyMatch(w -> w.contains("Container engine unavailable")));
        Reply start = cloud.command("start", "Container:" + doomed, null);
        assertThat(start.status()).isEqualTo(500);
        assertThat(start.value().path("error").asText()).isEqualTo("messages:execution.failed");
        assertThat(start.message()).contains(dockerd.host());
        Reply create = cloud.command("create", "ContainerFactory", "{\"imageRef\":\"" + TestImages.BUSYBOX + "\"}");
        assertThat(create.status()).isEqualTo(500);
        assertThat(create.message()).contains(dockerd.host());

        // Changes the agent cannot see: the daemon answers on another socket only.
        String hidden = dockerd.socket("hidden.sock");
        dockerd.startOn(hidden);
        docker(hidden, "rm", "-f", doomed);
        docker(hidden, "rename", plain, docker.name("renamed"));
        String born = docker(hidden, "create", "--name", docker.name("born"), "--label",
                TestContainers.LABEL + "=" + docker.prefix(), TestImages.BUSYBOX);
        dockerd.shutDown();
        cloud.forget();

        dockerd.restart();

        cloud.awaitEvent(e -> path(e).equals("/features/ContainerFactory"));
        JsonNode renamed = cloud.awaitFeature(plain);
        assertThat(renamed.path("name").asText()).isEqualTo(docker.name("renamed"));
        assertThat(renamed.at("/state/status").asText()).isNotEqualTo("RUNNING");
        assertThat(cloud.awaitFeature(born).at("/state/status").asText()).isEqualTo("CREATED");
        cloud.awaitStatus(always, "RUNNING");
        JsonNode deleted = cloud.awaitEvent(e -> path(e).equals(containerPath(doomed)));
        assertThat(deleted.path("topic").asText()).endsWith("/things/twin/commands/delete");

        // Commands reach the engine again.
        assertThat(cloud.command("start", "Container:" + plain, null).status()).isEqualTo(204);
        cloud.awaitState(plain, "RUNNING");
    }
}

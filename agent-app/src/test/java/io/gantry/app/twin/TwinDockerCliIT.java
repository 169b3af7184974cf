package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.containerPath;
import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Changes made outside Gantry with the {@code docker} CLI reach the twin (reference/kanto-things.md §4.2): each
 * produces exactly the property modifies or the deletion Kanto publishes for the same change. To see that nothing
 * more follows, a test ends with a rename of the container and checks the container's events up to that name:
 * the twin handles events in order, so everything an earlier change caused has been published by then.
 */
class TwinDockerCliIT {

    @RegisterExtension
    static final TwinTestbed bed = TwinTestbed.withKantoDevice("twin-cli");
    private static DittoProbe cloud;
    private static TestContainers docker;

    @BeforeAll
    static void names() {
        cloud = bed.probe();
        docker = bed.containers();
    }

    /** Renames the container and waits for the twin to say so: a barrier behind every earlier event. */
    private static void barrier(String id, String newName) {
        docker.docker("rename", id, newName);
        cloud.awaitEvent(e -> path(e).equals(containerPath(id) + "/properties/status/name")
                && e.path("value").asText().equals(newName));
    }

    @Test
    void run_publishesTheWholeFeatureAndItsState_andTheInstalledDependency() {
        String id = docker.run("run", TestImages.BUSYBOX);

        JsonNode status = cloud.awaitFeature(id);
        assertThat(status.path("name").asText()).isEqualTo(docker.name("run"));
        assertThat(status.path("imageRef").asText()).isEqualTo(TestImages.BUSYBOX);
        assertThat(status.path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        cloud.awaitStatus(id, "RUNNING");
        cloud.awaitEvent(e -> path(e).equals("/features/SoftwareUpdatable/properties/status/installedDependencies")
                && e.path("value").has("gantry-test%2Fbusybox." + id + ":1"));
        barrier(id, docker.name("run2"));

        // Docker's create and start events may reach the twin before it inspects the new container.
        assertThat(cloud.containerEvents(id)).isIn(
                List.of("modify ", "modify /properties/status/state CREATED",
                        "modify /properties/status/state RUNNING", "modify /properties/status/name"),
                List.of("modify ", "modify /properties/status/state RUNNING",
                        "modify /properties/status/name"));
    }

    @Test
    void stopAndStart_publishStoppedThenRunning() {
        String id = bed.running("stop");

        docker.docker("stop", id);
        JsonNode stopped = cloud.awaitState(id, "STOPPED");
        docker.docker("start", id);
        JsonNode started = cloud.awaitState(id, "RUNNING");
        barrier(id, docker.name("stop2"));

        assertThat(stopped.at("/value/pid").asLong()).isEqualTo(-1);
        assertThat(stopped.at("/value/exitCode").isMissingNode()).as("exit code 0 is left out").isTrue();
        assertThat(started.at("/value/pid").asLong()).isPositive();
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state STOPPED",
                "modify /properties/status/state RUNNING", "modify /properties/status/name");
    }

    @Test
    void kill_publishesStoppedWithTheExitCode() {
        String id = bed.running("kill");

        docker.docker("kill", id);
        JsonNode stopped = cloud.awaitState(id, "STOPPED");
        barrier(id, docker.name("kill2"));

        assertThat(stopped.at("/value/exitCode").asInt()).isEqualTo(137);
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state STOPPED",
                "modify /properties/status/name");
    }

    @Test
    void aProcessThatEndsOnItsOwn_isExitedWithItsExitCode() {
        String id = bed.running("exits", "sh", "-c", "while [ ! -f /tmp/go ]; do sleep 0.1; done; exit 3");

        docker.docker("exec", id, "touch", "/tmp/go");
        JsonNode exited = cloud.awaitState(id, "EXITED");
        barrier(id, docker.name("exits2"));

        assertThat(exited.at("/value/exitCode").asInt()).isEqualTo(3);
        assertThat(exited.at("/value/pid").asLong()).isEqualTo(-1);
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state EXITED",
                "modify /properties/status/name");
    }

    @Test
    void pauseAndUnpause_publishPausedThenRunning() {
        String id = bed.running("pause");

        docker.docker("pause", id);
        cloud.awaitState(id, "PAUSED");
        docker.docker("unpause", id);
        cloud.awaitState(id, "RUNNING");
        barrier(id, docker.name("pause2"));

        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state PAUSED",
                "modify /properties/status/state RUNNING", "modify /properties/status/name");
    }

    @Test
    void rename_publishesTheNameOnly() {
        String id = bed.running("rename");

        barrier(id, docker.name("renamed"));

        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/name");
    }

    @Test
    void update_publishesTheConfig() {
        String id = bed.running("update");

        docker.docker("update", "--restart", "on-failure:2", "--memory", "64m", "--memory-swap", "96m", id);
        JsonNode config = cloud.awaitEvent(e -> path(e).equals(containerPath(id) + "/properties/status/config"));
        barrier(id, docker.name("update2"));

        assertThat(config.at("/value/restartPolicy").toString()).isEqualTo("{\"maxRetryCount\":2,\"type\":\"ON_FAILURE\"}");
        assertThat(config.at("/value/resources").toString()).isEqualTo("{\"memory\":\"64M\",\"memorySwap\":\"96M\"}");
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/config",
                "modify /properties/status/name");
    }

    @Test
    void rmOfAStoppedContainer_publishesDeadOnceThenTheDeletion() {
        String id = bed.running("rm");
        docker.docker("stop", id);
        cloud.awaitState(id, "STOPPED");
        cloud.forget();

        docker.docker("rm", id);
        cloud.awaitDeleted(id);

        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state DEAD", "delete ");
        cloud.awaitEvent(e -> path(e).equals("/features/SoftwareUpdatable/properties/status/installedDependencies")
                && !e.path("value").toString().contains(id));
    }

    @Test
    void rmForceOfARunningContainer_publishesDeadOnceThenTheDeletion() {
        String id = bed.running("rmf");

        docker.docker("rm", "-f", id);
        cloud.awaitDeleted(id);

        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state DEAD", "delete ");
    }
}

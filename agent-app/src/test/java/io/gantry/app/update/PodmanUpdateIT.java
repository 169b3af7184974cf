package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.UpdateFixture;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The update agent in auto mode on Podman, end to end: desired states create, recreate (a new image version) and
 * remove containers on a rootful Podman of the class's own, checked with {@code docker inspect} through Podman's
 * Docker API, and a failed replacement rolled back exactly. The rest of the auto-mode behaviour is engine-independent
 * and covered by {@link AutoModeIT}; crash recovery on Podman is {@link PodmanCrashRecoveryIT}.
 */
class PodmanUpdateIT {

    /** busybox httpd as PID 1 ignores SIGTERM (reference/dependencies.md pitfall 6); a trapping shell stops at once. */
    private static final String HTTPD = "trap 'exit 0' TERM; httpd -f -p 80 -h /www & wait";

    @RegisterExtension
    static final UpdateFixture fixture = UpdateFixture.onPodman();

    @BeforeAll
    static void start() {
        fixture.startAgent("", "");
    }

    /** An httpd on {@code port} with a little of everything a desired state can set. */
    private static ObjectNode web(int port) {
        return component("web", "1", "image", APP_1, "cmd", "sh", "cmd", "-c", "cmd", HTTPD,
                "port", "127.0.0.1:" + port + ":80", "env", "MODE=e2e", "restartPolicy", "always", "memory", "64M");
    }

    private static JsonNode inspect(String name) {
        return fixture.engine().inspect(name);
    }

    @Test
    void desiredStates_createRecreateAndRemove_onPodman() {
        int webPort = Processes.freePort();
        fixture.apply(payload(web(webPort), component("worker", "1", "image", APP_1)));

        JsonNode web = inspect("web");
        assertThat(web.path("State").path("Running").asBoolean()).isTrue();
        assertThat(web.path("Config").path("Labels").path("io.gantry.managed").asText()).isEqualTo("true");
        assertThat(web.path("HostConfig").path("Memory").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(web.path("Config").path("Env").toString()).contains("MODE=e2e");
        assertThat(inspect("worker").path("State").path("Running").asBoolean()).isTrue();
        String oldWorker = inspect("worker").path("Id").asText();

        // worker moves to version 2 (recreated from APP_2); web stays as it is
        String webId = web.path("Id").asText();
        fixture.apply(payload(web(webPort), component("worker", "2", "image", APP_2)));

        JsonNode worker = inspect("worker");
        assertThat(worker.path("Id").asText()).isNotEqualTo(oldWorker);
        assertThat(worker.path("Config").path("Labels").path("e2e.version").asText()).isEqualTo("2");
        assertThat(worker.path("State").path("Running").asBoolean()).isTrue();
        assertThat(inspect("web").path("Id").asText()).isEqualTo(webId);
        assertThat(fixture.engine().names()).allMatch(n -> !n.contains(".gantry-"));

        // worker is no longer wanted
        fixture.apply(payload(web(webPort)));

        assertThat(fixture.engine().names()).containsExactly("web");
    }

    /** As {@link RollbackIT}: a replacement that exits at once undoes every action of its desired state, exactly. */
    @Test
    void replacementThatExitsAtOnce_isRolledBack_toTheExactPreviousState_onPodman() {
        fixture.apply(payload(component("steady", "1", "image", APP_1), component("job", "1", "image", APP_1)));
        Map<String, JsonNode> before = fixture.snapshot();

        String activity = fixture.send(payload(component("steady", "1", "image", APP_1),
                component("fresh", "1", "image", APP_1),
                component("job", "2", "image", APP_2, "cmd", "sh", "cmd", "-c", "cmd", "echo broken; exit 3")));
        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).isEqualTo("INCOMPLETE");
        assertThat(end.path("message").asText())
                .startsWith("ACTIVATION_FAILURE of containers:job: container job exited with code 3 while settling");
        assertThat(fixture.statuses(activity)).containsSubsequence("ACTIVATION_FAILURE", "ROLLBACK",
                "ROLLBACK_SUCCESS", "INCOMPLETE");
        assertThat(UpdateFixture.differences(before, fixture.snapshot())).isEmpty();
    }
}

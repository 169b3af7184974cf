package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static io.gantry.app.testing.UpdateFixture.actions;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.UpdateFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures end to end: whatever fails, every action of the operation is rolled back and the engine is exactly as it
 * was before (ids, names, run states, configurations, as {@code docker inspect} shows them), with no temporary
 * containers left. The starting point has a container of each kind a desired state can touch: one to keep, one to
 * replace, one to update in place, one to remove, a paused one to replace and a stopped one to check.
 */
class RollbackIT {

    private static final String USER = "e2e";

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();
    private static LocalRegistry registry;
    private static String privateImage;
    private static AgentUnderTest agent;

    @BeforeAll
    static void start() throws IOException {
        Path registryDir = Files.createDirectories(fixture.dir().resolve("registry"));
        registry = LocalRegistry.start(registryDir, Optional.of(USER), Optional.of("right-password"));
        // An image that exists in the registry, pushed with the right password and then removed from the engine.
        privateImage = registry.address() + "/e2e/app:3";
        fixture.engine().docker("tag", APP_1, privateImage);
        fixture.engine().docker("login", "-u", USER, "-p", "right-password", registry.address());
        fixture.engine().docker("push", privateImage);
        fixture.engine().docker("rmi", privateImage);
        agent = fixture.startAgent("", registries("wrong-password"));
    }

    private static String registries(String password) {
        return "\"registries\": {\"" + registry.address() + "\": {\"credentials\": {\"user_id\": \"" + USER
                + "\", \"password\": \"" + password + "\"}}}";
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** The starting point: keep, web, upd, gone, napper (paused) and stopped (stopped). */
    @BeforeEach
    void startingPoint() {
        fixture.apply(payload(
                component("keep", "1", "image", APP_1),
                component("web", "1", "image", APP_1, "env", "MODE=old"),
                component("upd", "1", "image", APP_1, "restartPolicy", "unless-stopped", "memory", "32M"),
                component("gone", "1", "image", APP_1),
                component("napper", "1", "image", APP_1),
                component("stopped", "1", "image", APP_1, "restartPolicy", "no")));
        fixture.engine().docker("pause", "napper");
        fixture.engine().docker("stop", "stopped");
    }

    /** All a desired state may change but {@code web}: a create, an update, a removal, a paused replacement. */
    private static List<ObjectNode> changes() {
        return new ArrayList<>(List.of(
                component("keep", "1", "image", APP_1),
                component("fresh", "1", "image", APP_1),
                component("upd", "2", "image", APP_1, "restartPolicy", "always", "memory", "48M"),
                component("napper", "2", "image", APP_2),
                component("stopped", "1", "image", APP_1, "restartPolicy", "no")));
    }

    @Test
    void pullFailure_withWrongCredentials_rollsBackToTheExactPreviousState() {
        Map<String, JsonNode> before = fixture.snapshot();
        List<ObjectNode> components = changes();
        components.add(1, component("web", "2", "image", APP_2, "env", "MODE=new"));
        components.add(component("private", "3", "image", privateImage));

        String activity = fixture.send(payload(components, d -> { }));
        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).isEqualTo("INCOMPLETE");
        assertThat(fixture.statuses(activity)).contains("DOWNLOAD_FAILURE", "ROLLBACK_SUCCESS")
                .doesNotContain("UPDATING", "ACTIVATING");
        JsonNode failure = fixture.await(activity, "DOWNLOAD_FAILURE");
        assertThat(actions(failure, "status")).containsEntry("containers:private", "DOWNLOAD_FAILURE");
        assertThat(actions(failure, "message").get("containers:private")).contains(privateImage);
        assertThat(end.path("message").asText()).startsWith("DOWNLOAD_FAILURE of containers:private: ");
        assertThat(UpdateFixture.differences(before, fixture.snapshot())).isEmpty();
    }

    @Test
    void containerThatExitsAtOnce_rollsBackEveryAction_toTheExactPreviousState() {
        Map<String, JsonNode> before = fixture.snapshot();
        List<ObjectNode> components = changes();
        components.add(1, component("web", "2", "image", APP_2, "env", "MODE=new", "cmd", "sh", "cmd", "-c",
                "cmd", "echo broken; exit 3"));

        String activity = fixture.send(payload(components, d -> { }));
        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).isEqualTo("INCOMPLETE");
        assertThat(end.path("message").asText())
                .startsWith("ACTIVATION_FAILURE of containers:web: container web exited with code 3 while settling");
        assertThat(fixture.statuses(activity)).containsSubsequence("DOWNLOAD_SUCCESS", "UPDATE_SUCCESS",
                "ACTIVATION_FAILURE", "ROLLBACK", "ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(actions(end, "message").get("containers:web")).contains("exited with code 3",
                "rollback succeeded - new container instance destroyed, old container instance restored");
        assertThat(UpdateFixture.differences(before, fixture.snapshot())).isEmpty();
    }

    @Test
    void replacementThatTurnsUnhealthy_isRolledBack_toTheExactPreviousState() {
        fixture.engine().build("gantry-e2e/unhealthy:1", "HEALTHCHECK --interval=300ms --retries=1 CMD false");
        Map<String, JsonNode> before = fixture.snapshot();
        List<ObjectNode> components = changes();
        components.add(1, component("web", "2", "image", "gantry-e2e/unhealthy:1", "env", "MODE=new"));

        String activity = fixture.send(payload(components, d -> { }));
        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).isEqualTo("INCOMPLETE");
        assertThat(end.path("message").asText()).startsWith("ACTIVATION_FAILURE of containers:web: container web is"
                + " unhealthy");
        assertThat(UpdateFixture.differences(before, fixture.snapshot())).isEmpty();
    }

    @Test
    void pullWithTheRightCredentials_afterALiveEditOfTheRegistryPassword_completes() {
        UpdateFixture.write(agent.configFile(), fixture.config("", registries("right-password")));
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.config().registries().get(registry.address())
                .credentials().password().value().equals("right-password"));
        try {
            List<ObjectNode> components = changes();
            components.add(component("private", "3", "image", privateImage));

            fixture.apply(payload(components, d -> { }));

            assertThat(fixture.engine().inspect("private").path("Config").path("Image").asText()).isEqualTo(privateImage);
            assertThat(fixture.engine().inspect("private").path("State").path("Running").asBoolean()).isTrue();
        } finally {
            UpdateFixture.write(agent.configFile(), fixture.config("", registries("wrong-password")));
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.config().registries().get(registry.address())
                    .credentials().password().value().equals("wrong-password"));
            fixture.engine().attempt("rmi", "-f", privateImage);
        }
    }
}

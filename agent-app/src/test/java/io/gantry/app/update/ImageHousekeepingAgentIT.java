package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.UpdateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Disk housekeeping end to end: the agent carries out three desired states that move one container through three
 * versions pulled from a local registry; after the third, the first version's image is gone, the second (the
 * rollback image) stays, and so do an image pulled by hand and one built locally.
 */
class ImageHousekeepingAgentIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();
    private static LocalRegistry registry;

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private static boolean present(String image) {
        return fixture.engine().attempt("image", "inspect", image).exitCode() == 0;
    }

    @Test
    void threeUpdates_removeTheFirstImage_keepTheRollbackImageAndForeignOnes() throws Exception {
        Path registryDir = Files.createDirectories(fixture.dir().resolve("registry"));
        registry = LocalRegistry.start(registryDir, Optional.empty(), Optional.empty());
        String repository = registry.address() + "/e2e/housekept";
        Map<String, String> ids = new HashMap<>();
        for (String version : List.of("1", "2", "3", "by-hand")) {
            String image = repository + ":" + version;
            fixture.engine().build(image, "LABEL e2e.housekeeping=" + version);
            ids.put(version, fixture.engine().docker("image", "inspect", "--format", "{{.Id}}", image));
            fixture.engine().docker("push", image);
            fixture.engine().docker("rmi", image);
        }
        fixture.engine().docker("pull", repository + ":by-hand");
        fixture.startAgent("", "");

        for (String version : List.of("1", "2", "3")) {
            fixture.apply(payload(component("app", version, "image", repository + ":" + version)));
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !present(repository + ":1"));
        assertThat(present(repository + ":2")).as("the rollback image").isTrue();
        assertThat(present(repository + ":3")).as("the running image").isTrue();
        assertThat(present(repository + ":by-hand")).as("pulled by hand").isTrue();
        assertThat(present(UpdateFixture.APP_1)).as("built locally").isTrue();
        assertThat(Files.readString(fixture.dir().resolve("state/images/pulled")))
                .doesNotContain(ids.get("1")).contains(ids.get("2"), ids.get("3")).doesNotContain(ids.get("by-hand"));
    }
}

package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.UpdateFixture;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A desired state that arrives while dockerd is stopped (a gateway booting, dockerd being upgraded): the update agent
 * says that it waits for the engine, and carries the desired state out once dockerd is started again.
 */
class EngineRestartUpdateIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @Test
    void desiredStateWhileDockerdIsStopped_waitsForIt_andIsCarriedOutWhenItIsBack() {
        try (AgentUnderTest agent = fixture.startAgent("\"engine_wait\": \"2m\"", "")) {
            PrivateEngine dockerd = (PrivateEngine) fixture.engine(); // the fixture's default engine
            dockerd.shutDown();
            String activity = fixture.send(payload(component("web", "1", "image", APP_1)));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fixture.feedback(activity).stream().anyMatch(
                    f -> f.path("message").asText().startsWith("Waiting up to 2m0s for the container engine")));
            assertThat(fixture.statuses(activity)).containsOnly("IDENTIFYING");
            dockerd.restart();

            JsonNode end = fixture.awaitEnd(activity);
            assertThat(end.path("status").asText()).isEqualTo("COMPLETED");
            assertThat(fixture.engine().inspect("web").path("State").path("Running").asBoolean()).isTrue();
        }
    }
}

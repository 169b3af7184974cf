package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.actions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.TestEngine;
import io.gantry.app.testing.UpdateFixture;
import io.gantry.core.golden.KantoCases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kanto's quickstart ({@code kanto-quickstart/um-desired-states.json}): the update manager's apply, update and clean,
 * sent as it sends them, end as Kanto's how-to says, with local images under Docker Hub's names.
 */
class KantoQuickstartIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    private static final JsonNode CASES = KantoCases.read("kanto-quickstart/um-desired-states.json");

    @Test
    void applyUpdateAndClean_endAsKantosHowToSays() {
        TestEngine engine = fixture.engine();
        engine.build("docker.io/library/influxdb:1.8.4"); // the test image's command runs until it is stopped
        engine.build("docker.io/library/influxdb:1.8.5", "LABEL version=1.8.5");
        engine.build("docker.io/library/alpine:latest", "CMD [\"true\"]");
        engine.build("docker.io/library/hello-world:latest", "CMD [\"echo\", \"Hello from Docker!\"]");
        try (AgentUnderTest agent = fixture.startAgent("", "")) {
            for (String step : List.of("apply", "update", "clean")) {
                JsonNode expected = CASES.path("expect").path(step);
                String activity = fixture.send(CASES.path(step));

                JsonNode end = fixture.awaitEnd(activity);
                assertThat(end.path("status").asText()).as("%s: %s", step, end)
                        .isEqualTo(expected.path("final").asText());
                if (expected.has("identified")) {
                    Map<String, String> messages = actions(fixture.await(activity, "IDENTIFIED"), "message");
                    expected.path("identified").forEach(row -> assertThat(messages).as(step)
                            .containsEntry(row.get(0).asText(), row.get(2).asText()));
                }
                expected.path("containers").fields().forEachRemaining(c -> assertContainer(step, c.getKey(),
                        c.getValue()));
                expected.path("absent").forEach(name -> assertThat(engine.inspect(name.asText())).as("%s: %s", step,
                        name).isNull());
            }
        }
    }

    /** {@code [image, state]} or {@code [image, "exited", exit code]}, as Kanto's how-to lists them. */
    private static void assertContainer(String step, String name, JsonNode expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode c = fixture.engine().inspect(name);
            assertThat(c).as("%s: %s", step, name).isNotNull();
            assertThat(withoutDockerHub(c.path("Config").path("Image").asText())).as("%s: %s", step, name)
                    .isEqualTo(withoutDockerHub(expected.get(0).asText()));
            assertThat(c.path("State").path("Status").asText()).as("%s: %s", step, name)
                    .isEqualTo(expected.get(1).asText());
            if (expected.size() > 2) {
                assertThat(c.path("State").path("ExitCode").asInt()).as("%s: %s", step, name)
                        .isEqualTo(expected.get(2).asInt());
            }
        });
    }

    private static String withoutDockerHub(String image) {
        return image.replaceFirst("^docker\\.io/", "").replaceFirst("^library/", "");
    }
}

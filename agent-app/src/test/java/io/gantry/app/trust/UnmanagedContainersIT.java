package io.gantry.app.trust;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.APP_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.UpdateFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Containers started by hand ({@code docker run}) with an image the enforced allowlist does not hold are stopped
 * within a second of their start, never removed, also after dockerd was restarted under the running agent (Kura's
 * watch dies then), and those that ran before the agent started are stopped at its start.
 */
class UnmanagedContainersIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void disallowedContainersStartedByHand_areStoppedAtOnce_atStartAndAfterADockerdRestart() throws Exception {
        String app1Id = fixture.engine().docker("image", "inspect", "-f", "{{.Id}}", APP_1).strip();
        int prometheus = Processes.freePort();
        fixture.engine().docker("run", "-d", "--name", "before", APP_2, "sleep", "600");

        AgentUnderTest agent = fixture.startAgent("", "\"trust\": {\"enforce\": true, \"allowlist\": [\"" + app1Id
                + "\"], \"unmanaged\": \"stop\"}, \"metrics\": {\"prometheus\": {\"enable\": true, \"listen\":"
                + " \"127.0.0.1:" + prometheus + "\"}}");

        // Ran before the agent: stopped at its start, and kept.
        await().atMost(WAIT).until(() -> !running("before"));
        fixture.engine().docker("run", "-d", "--name", "allowed", APP_1, "sleep", "600");
        assertStoppedWithinASecond("bad");
        assertThat(running("allowed")).isTrue();
        assertThat(agent.warnings()).anySatisfy(w -> assertThat(w).contains("Container bad (").contains(
                "not created by Gantry, is refused by trust.allowlist: the digest is not in the allowlist (image "
                        + APP_2).endsWith("stopped (it is kept for the operator)"));

        PrivateEngine dockerd = (PrivateEngine) fixture.engine();
        dockerd.crash();
        await().atMost(WAIT).until(() -> gauge(prometheus, "gantry_engine_available") == 0);
        dockerd.restart();
        await().atMost(WAIT).until(() -> gauge(prometheus, "gantry_engine_available") == 1);

        assertStoppedWithinASecond("bad-after-restart");
        assertThat(gauge(prometheus, "gantry_unmanaged_containers_total{action=\"stopped\"}")).isEqualTo(3);
        agent.close();
    }

    @Test
    void switchingEnforcementOnByAnEdit_reportsOrStops_whatRunsAlready() throws Exception {
        String app1Id = fixture.engine().docker("image", "inspect", "-f", "{{.Id}}", APP_1).strip();
        AgentUnderTest agent = fixture.startAgent("", "\"trust\": {\"enforce\": false, \"allowlist\": [\"" + app1Id
                + "\"], \"unmanaged\": \"report\"}");
        fixture.engine().docker("run", "-d", "--name", "edited", APP_2, "sleep", "600");
        String before = Files.readString(agent.configFile());

        Files.writeString(agent.configFile(), before.replace("\"enforce\": false", "\"enforce\": true"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent.warnings()).anySatisfy(w -> assertThat(w)
                .contains("Container edited (").contains("is refused by trust.allowlist")
                .doesNotContain("stopped")));
        assertThat(running("edited")).as("only reported").isTrue();

        Files.writeString(agent.configFile(), before.replace("\"enforce\": false", "\"enforce\": true")
                .replace("\"report\"", "\"stop\""));
        await().atMost(WAIT).until(() -> !running("edited"));
        assertThat(fixture.engine().inspect("edited")).as("kept, not removed").isNotNull();
        agent.close();
    }

    /** {@code docker run} of the disallowed image: the engine's own clock says how long it ran. */
    private static void assertStoppedWithinASecond(String name) {
        fixture.engine().docker("run", "-d", "--name", name, APP_2, "sleep", "600");
        await().atMost(WAIT).until(() -> !running(name));
        JsonNode state = fixture.engine().inspect(name).path("State");
        Duration ran = Duration.between(Instant.parse(state.path("StartedAt").asText()),
                Instant.parse(state.path("FinishedAt").asText()));
        assertThat(ran).as(name + " ran for").isLessThan(Duration.ofSeconds(1));
        assertThat(fixture.engine().inspect(name)).as("kept, not removed").isNotNull();
    }

    private static boolean running(String name) {
        return fixture.engine().inspect(name).path("State").path("Running").asBoolean();
    }

    private static double gauge(int port, String series) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}

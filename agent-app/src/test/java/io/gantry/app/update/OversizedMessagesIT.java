package io.gantry.app.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.AgentProcess;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.UpdateFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The field report's large messages, against an agent under the Debian package's JVM options (64 MiB heap, exit on
 * OutOfMemoryError): a huge desired state, and a huge retained request for the current state waiting on the broker
 * before the agent starts. The agent stays up and connected (no reconnect loop on the retained one), answers the next
 * request, logs each refusal once and counts them on the Prometheus endpoint.
 */
class OversizedMessagesIT {

    private static final String GET = UpdateFixture.PREFIX + "currentstate/get";

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    /** MQTT 3.1.1 reads what the broker sends (so 24 MB there); MQTT 5 tells the broker not to send it (40 MB). */
    @ParameterizedTest(name = "MQTT {0}, {1} MiB retained")
    @CsvSource({"3.1.1, 24", "5, 40"})
    void hugeDesiredStateAndRetainedPoison_agentStaysUpAndConnected_andCountsThem(String version, int retainedMiB)
            throws Exception {
        int prometheus = Processes.freePort();
        Path config = fixture.dir().resolve("config-" + version + ".json");
        UpdateFixture.write(config, fixture.config("", "\"metrics\": {\"prometheus\": {\"enable\": true,"
                        + " \"listen\": \"127.0.0.1:" + prometheus + "\"}}")
                .replace("\"client_id\": \"gantry-under-test\"",
                        "\"client_id\": \"gantry-under-test\", \"protocol_version\": \"" + version + "\""));
        fixture.probe().publish(GET, new byte[retainedMiB << 20], true);
        Path log = fixture.dir().resolve("agent-" + version + ".log");
        fixture.probe().clear();
        AgentProcess agent = AgentProcess.startAsPackaged(config, log);
        try {
            fixture.probe().await(Duration.ofSeconds(60), r -> r.topic().equals(UpdateFixture.CURRENT)
                    && r.payload().contains("initial-current-state-"));
            fixture.probe().publish(UpdateFixture.DESIRED, new byte[24 << 20], false);
            fixture.probe().publish(UpdateFixture.DESIRED, new byte[24 << 20], false);
            // a little over the limit: within MQTT 5's packet room too, so it arrives and is refused there as well
            fixture.probe().publish(UpdateFixture.DESIRED, new byte[300 << 10], false);

            // answered after the poison: the connection and the update agent are still there
            assertThat(fixture.currentState().isObject()).isTrue();
            assertThat(agent.isAlive()).isTrue();
            String text = agent.log();
            assertThat(text).doesNotContain("OutOfMemoryError").doesNotContain("Lost the connection");
            assertThat(count(text, "bytes on " + UpdateFixture.DESIRED + ": over")).as("logged once").isOne();
            if (version.equals("5")) {
                // the broker kept back all that was over the announced packet size
                assertThat(text).doesNotContain("bytes on " + GET);
                assertThat(scrape(prometheus)).isEqualTo(1);
            } else {
                assertThat(count(text, "Refused a message of " + (retainedMiB << 20) + " bytes on " + GET + ":"))
                        .isOne();
                assertThat(scrape(prometheus)).isEqualTo(4);
            }
        } finally {
            agent.close();
            fixture.probe().publish(GET, new byte[0], true);
        }
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static long scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^gantry_mqtt_messages_refused_total (\\d+)(?:\\.0)?$")
                .matcher(response.body());
        assertThat(m.find()).as("the counter on the endpoint").isTrue();
        return Long.parseLong(m.group(1));
    }
}

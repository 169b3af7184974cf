package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.testing.PackagedGantry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.metrics.prometheus.ExpositionGrammar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/metrics.md works as written: its configuration, its {@code mosquitto_sub} and {@code mosquitto_pub} commands
 * and its Prometheus URL, run against {@code gantry run --embedded-broker} (the packaged command). Only the broker's
 * and the endpoint's ports are moved to free ones, and {@code <id>} is replaced by a container of this test.
 */
class MetricsDocIT {

    private static final Pattern CODE = Pattern.compile("```(json|sh)\n(.*?)```", Pattern.DOTALL);
    private static final Set<String> MEASUREMENTS = Set.of("cpu.utilization", "memory.total", "memory.used",
            "memory.utilization", "io.readBytes", "io.writeBytes", "net.readBytes", "net.writeBytes", "pids");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static final String RUN = "metrics-doc-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int BROKER_PORT = Processes.freePort();
    private static final int PROMETHEUS_PORT = Processes.freePort();
    private static Process gantry;
    private static String container;
    private Process subscriber;
    private Path subscriberOutput;

    @BeforeAll
    static void startGantryWithTheDocumentedDevice() throws IOException {
        TestImages.ensureBusybox(null);
        container = Processes.run("docker", "run", "-d", "--name", RUN + "-web", "--label", "io.gantry.test=" + RUN,
                TestImages.BUSYBOX, "sleep", "3600");
        // The documented things block, plus what keeps this test off the gateway's own directories and ports.
        ObjectNode config = JSON.createObjectNode();
        config.set("things", JSON.readTree(block(requestingSection(), "json", 0)).path("things"));
        config.putObject("update_agent").put("enable", false);
        config.putObject("deployment").put("enable", false);
        config.putObject("metrics").putObject("prometheus").put("enable", true)
                .put("listen", "127.0.0.1:" + PROMETHEUS_PORT);
        config.put("state_dir", dir.resolve("state").toString());
        Path file = dir.resolve("config.json");
        Files.writeString(file, config.toString());
        gantry = new ProcessBuilder(PackagedGantry.command(List.of(), "--config", file.toString(), "run",
                "--embedded-broker", "--broker-port", String.valueOf(BROKER_PORT)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("gantry.out").toFile()).start();
        await().atMost(WAIT).until(() -> {
            assertThat(gantry.isAlive()).as("gantry is running: %s", log()).isTrue();
            return accepts(BROKER_PORT);
        });
    }

    @AfterEach
    void stopTheSubscriber() throws InterruptedException {
        if (subscriber != null) {
            subscriber.destroy();
            subscriber.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopGantry() throws InterruptedException {
        if (gantry != null) {
            gantry.destroy();
            if (!gantry.waitFor(30, TimeUnit.SECONDS)) {
                gantry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Processes.attempt(Map.of(), "docker", "rm", "-f", RUN + "-web");
    }

    @Test
    void theDittoExamples_requestFilterAndStop_workAsDocumented() throws Exception {
        String section = requestingSection();
        List<String> commands = blocks(section, "sh");
        assertThat(commands).hasSize(4);
        subscriberOutput = dir.resolve("mosquitto_sub.out");
        subscriber = new ProcessBuilder("sh", "-c", "exec " + local(commands.get(0)))
                .redirectErrorStream(true).redirectOutput(subscriberOutput.toFile()).start();

        // Every 2 s, everything: 204, then data as the documented example shows it.
        await().atMost(WAIT).until(() -> {
            sh(commands.get(1));
            return awaitLine("command//demo:gateway:edge:containers/res/r1/204", Duration.ofSeconds(3)) >= 0;
        });
        int r1 = awaitLine("command//demo:gateway:edge:containers/res/r1/204", WAIT);
        JsonNode documented = JSON.readTree(blocks(section, "json").stream()
                .filter(b -> b.contains("/things/live/messages/data")).findFirst().orElseThrow());
        // The agent's twin publishes changes of other tests' containers on the same topic: skip to the data message.
        JsonNode data = data(awaitLine("e/demo/demo:gateway:edge:containers", "/outbox/messages/data", WAIT, r1));
        assertThat(data.path("topic")).isEqualTo(documented.path("topic"));
        assertThat(data.path("headers")).isEqualTo(documented.path("headers"));
        assertThat(data.path("path")).isEqualTo(documented.path("path"));
        assertThat(fieldNames(data.path("value"))).isEqualTo(fieldNames(documented.path("value")));
        assertThat(data.path("value").path("snapshot")).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.path("originator").asText()).startsWith("Container:");
            entry.path("measurements").forEach(m -> assertThat(m.path("id").asText()).isIn(MEASUREMENTS));
        });
        assertThat(data.toString()).contains("\"originator\":\"Container:" + container + "\"");

        // Only one container's CPU, every 5 s. A tick of the request before may land just after the reply; the
        // new request's first tick is 5 s later, so its timestamp tells them apart.
        sh(commands.get(2).replace("<id>", container));
        int r2 = awaitLine("command//demo:gateway:edge:containers/res/r2/204", WAIT);
        long r2Second = Instant.now().getEpochSecond();
        await().atMost(WAIT).until(() -> !dataAfter(r2, r2Second).isEmpty());
        for (JsonNode filtered : dataAfter(r2, r2Second)) {
            JsonNode snapshot = filtered.path("value").path("snapshot");
            assertThat(snapshot).hasSize(1);
            assertThat(snapshot.get(0).path("originator").asText()).isEqualTo("Container:" + container);
            assertThat(snapshot.get(0).path("measurements")).singleElement()
                    .satisfies(m -> assertThat(m.path("id").asText()).isEqualTo("cpu.utilization"));
        }

        // Stop: 204, and no tick after it.
        sh(commands.get(3));
        int r3 = awaitLine("command//demo:gateway:edge:containers/res/r3/204", WAIT);
        long r3Second = Instant.now().getEpochSecond();
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(12))
                .until(() -> dataAfter(r3, r3Second).isEmpty());
    }

    @Test
    void thePrometheusExample_servesValidExpositionWithTheContainer() throws Exception {
        String section = section("## The Prometheus endpoint", "\n## ");
        Matcher curl = Pattern.compile("curl -s (http://\\S+)").matcher(block(section, "sh", 0));
        assertThat(curl.find()).isTrue();
        URI uri = URI.create(curl.group(1).replace(":9464/", ":" + PROMETHEUS_PORT + "/"));
        String label = "gantry_container_pids{id=\"" + container + "\",image=\"" + TestImages.BUSYBOX
                + "\",name=\"" + RUN + "-web\"} 1.0";

        String body = await().atMost(WAIT).until(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .build(), HttpResponse.BodyHandlers.ofString()).body(), b -> b.contains(label));

        assertThat(ExpositionGrammar.violations(body)).isEmpty();
    }

    // ---- the document ----------------------------------------------------------------------------------------

    private static String doc() {
        try {
            return Files.readString(TestImages.repositoryRoot().resolve("docs/metrics.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String section(String heading, String next) {
        String doc = doc();
        int start = doc.indexOf(heading);
        assertThat(start).as(heading).isNotNegative();
        int end = doc.indexOf(next, start + heading.length());
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    private static String requestingSection() {
        return section("## Requesting metrics over Ditto", "\n### ");
    }

    private static List<String> blocks(String text, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                blocks.add(m.group(2));
            }
        }
        return blocks;
    }

    private static String block(String text, String language, int index) {
        return blocks(text, language).get(index);
    }

    // ---- running the commands --------------------------------------------------------------------------------

    /** The documented command for the broker on this test's port. */
    private static String local(String command) {
        assertThat(command).contains("-h 127.0.0.1 ");
        return command.strip().replace("-h 127.0.0.1 ", "-h 127.0.0.1 -p " + BROKER_PORT + " ");
    }

    private static void sh(String command) {
        Processes.run("sh", "-c", local(command));
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(subscriberOutput);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for a line of {@code mosquitto_sub -v} on {@code topic} whose message contains {@code containing}, from
     * line {@code from} on; its index or -1.
     */
    private int awaitLine(String topic, String containing, Duration timeout, int from) {
        try {
            return await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
                List<String> lines = lines();
                for (int i = from; i < lines.size(); i++) {
                    if (lines.get(i).startsWith(topic + " ") && lines.get(i).contains(containing)) {
                        return i;
                    }
                }
                return -1;
            }, i -> i >= 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return -1;
        }
    }

    private int awaitLine(String topic, Duration timeout) {
        return awaitLine(topic, "", timeout, 0);
    }

    private JsonNode data(int line) throws IOException {
        assertThat(line).as("a data message in %s", lines()).isNotNegative();
        String text = lines().get(line);
        return JSON.readTree(text.substring(text.indexOf(' ') + 1));
    }

    /** The data messages after line {@code line} whose tick started after {@code second}. */
    private List<JsonNode> dataAfter(int line, long second) throws IOException {
        List<JsonNode> data = new ArrayList<>();
        List<String> lines = lines();
        for (int i = line + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("e/demo/demo:gateway:edge:containers ")
                    && lines.get(i).contains("/outbox/messages/data")) {
                JsonNode message = data(i);
                if (message.path("value").path("timestamp").asLong() > second) {
                    data.add(message);
                }
            }
        }
        return data;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String log() throws IOException {
        return Files.readString(dir.resolve("gantry.out"));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

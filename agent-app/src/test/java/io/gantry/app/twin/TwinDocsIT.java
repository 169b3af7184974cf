package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.mqtt.EmbeddedBroker;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Reply;
import io.gantry.app.testing.DittoProbe.Thing;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.core.golden.GoldenJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy-paste examples of {@code docs/twin.md} run as written, so that the page cannot rot: its configuration
 * starts a real agent against the embedded HiveMQ broker that {@code gantry run --embedded-broker} starts, and every
 * {@code sh} block runs in {@code bash} in document order ({@code mosquitto_sub} watchers in the background). The
 * only edits are those that let the test run next to others: free ports instead of 1883, 8080 and 8000, the test's
 * name prefix on container names, a private directory instead of {@code /tmp/artifacts}. Every command a block sends
 * must be answered with a 2xx, and the page's promises (the web server answers, the install finishes) must hold.
 */
class TwinDocsIT {

    private static final Pattern REQUEST_ID = Pattern.compile("/req/([^/' \"]+)/");
    private static final Pattern CMD_CALL = Pattern.compile("(?m)^cmd (\\w+)");

    private Path dir;
    private TestContainers docker;
    private EmbeddedBroker broker;
    private DittoProbe cloud;
    private AgentUnderTest agent;
    private final List<Process> shells = new ArrayList<>();

    @BeforeEach
    void startBrokerAndAgent() throws IOException {
        dir = Files.createTempDirectory("gantry-twin-docs-");
        docker = TestContainers.on("gantry-twin-docs");
        broker = EmbeddedBroker.of(Processes.freePort(), dir);
        broker.start();
    }

    @AfterEach
    void stopEverything() throws IOException {
        for (Process shell : shells) {
            // Each block ran in a session of its own; this ends what it left running (watchers, the HTTP server).
            Processes.attempt(Map.of(), "kill", "-TERM", "--", "-" + shell.pid());
        }
        if (agent != null) {
            List<String> errors = agent.errors();
            agent.close();
            assertThat(errors).as("errors logged by Gantry").isEmpty();
        }
        if (cloud != null) {
            cloud.assertAllValidDitto();
            cloud.close();
        }
        broker.stop();
        docker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theExamplesOfTheTwinPage_workAgainstTheEmbeddedBroker() throws Exception {
        String doc = Files.readString(TestImages.repositoryRoot().resolve("docs/twin.md"));
        int port = Integer.parseInt(broker.url().substring(broker.url().lastIndexOf(':') + 1));
        int webPort = Processes.freePort();
        int artifactPort = Processes.freePort();
        Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
        Map<String, String> edits = new LinkedHashMap<>();
        edits.put("-p 1883", "-p " + port);
        edits.put("\"name\": \"web\"", "\"name\": \"" + docker.name("web") + "\"");
        edits.put("'{{.Id}}' web)", "'{{.Id}}' " + docker.name("web") + ")");
        edits.put("'\"web2\"'", "'\"" + docker.name("web2") + "\"'");
        edits.put("\"container_name\":\"hello\"", "\"container_name\":\"" + docker.name("hello") + "\"");
        edits.put("'{{.Id}}' hello)", "'{{.Id}}' " + docker.name("hello") + ")");
        edits.put("\"hostPort\": 8080", "\"hostPort\": " + webPort);
        edits.put("http.server 8000", "http.server " + artifactPort);
        edits.put("127.0.0.1:8000/", "127.0.0.1:" + artifactPort + "/");
        edits.put("/tmp/artifacts", artifacts.toString());
        List<String> blocks = blocks(doc, "sh");
        String all = String.join("\n", blocks);
        for (Map.Entry<String, String> edit : edits.entrySet()) {
            assertThat(all).as("docs/twin.md changed: the test edits %s", edit.getKey()).contains(edit.getKey());
        }

        // The configuration the page asks for, pointed at this broker and this test's state directory.
        ObjectNode config = (ObjectNode) GoldenJson.parse(blocks(doc, "json").stream()
                .filter(b -> b.contains("\"device_id\"")).findFirst().orElseThrow());
        assertThat(config).as("the page's configuration is the one bin/dev run uses")
                .isEqualTo(GoldenJson.parse(Files.readString(TestImages.repositoryRoot()
                        .resolve("examples/demo-config.json"))));
        config.putObject("connection").put("broker_url", broker.url());
        config.put("state_dir", dir.resolve("state").toString());
        JsonNode things = config.path("things");
        String deviceId = things.path("device_id").asText();
        Thing thing = new Thing(deviceId + ":edge:containers", deviceId.replaceFirst(":", "/") + ":edge:containers",
                things.path("tenant_id").asText());
        cloud = DittoProbe.connect(port, thing);
        agent = AgentUnderTest.start(dir.resolve("agent"), config.toPrettyString(), docker.labels());
        cloud.awaitEvent(e -> path(e).equals("/features/Metrics"));

        List<Process> watchers = new ArrayList<>();
        List<Path> watcherOutputs = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            for (Map.Entry<String, String> edit : edits.entrySet()) {
                block = block.replace(edit.getKey(), edit.getValue());
            }
            Path out = dir.resolve("block" + i + ".out");
            if (block.contains("mosquitto_sub")) {
                watchers.add(start(block, out));
                watcherOutputs.add(out);
                continue;
            }
            Process shell = start(block, out);
            assertThat(shell.waitFor(120, TimeUnit.SECONDS)).as("block %d finished", i).isTrue();
            assertThat(shell.exitValue()).as("exit code of block %d:%n%s%n%s", i, block, Files.readString(out))
                    .isZero();
            for (String requestId : requestIds(block)) {
                Reply reply = cloud.awaitReply(requestId);
                assertThat(reply.status()).as("reply to %s: %s", requestId, reply.envelope()).isBetween(200, 299);
            }
            if (block.contains("createWithConfig")) {
                assertThat(get("http://127.0.0.1:" + webPort + "/")).isEqualTo("gantry test image\n");
            }
            if (block.contains("/install")) {
                JsonNode done = cloud.awaitEvent(e -> path(e).endsWith("/lastOperation")
                        && e.at("/value/status").asText().startsWith("FINISHED_"));
                assertThat(done.at("/value/status").asText()).as(done.toString()).isEqualTo("FINISHED_SUCCESS");
                assertThat(docker.inspect(docker.name("hello"), "{{.State.Status}}")).isEqualTo("running");
                cloud.forget();
            }
        }

        assertThat(docker.exists(docker.name("web"))).isFalse();
        assertThat(docker.exists(docker.name("web2"))).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> !docker.exists(docker.name("hello")));
        // The watchers saw the twin and the replies as the page says. Ending mosquitto_sub alone lets jq write out
        // what it buffered (it writes to a file, not a terminal) and end on its own.
        assertThat(watchers).hasSize(2);
        for (Process watcher : watchers) {
            // bash runs a lone command in its own process, a pipeline in children.
            Stream.concat(Stream.of(watcher.toHandle()), watcher.descendants())
                    .filter(p -> p.info().command().orElse("").endsWith("mosquitto_sub"))
                    .forEach(ProcessHandle::destroy);
            assertThat(watcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        String lastRequest = requestIds(blocks.get(blocks.size() - 1)).get(0);
        assertThat(Files.readString(watcherOutputs.get(0))).contains(thing.events() + " {\"topic\":")
                .contains("command//" + thing.thingId() + "/res/" + lastRequest + "/204 ");
        assertThat(Files.readString(watcherOutputs.get(1)).lines().map(GoldenJson::parse))
                .isNotEmpty().allSatisfy(line -> assertThat(line.path("path").asText()).startsWith("/features/"))
                .anySatisfy(line -> assertThat(line.path("value").path("status").asText())
                        .isEqualTo("FINISHED_SUCCESS"));
    }

    private static List<String> blocks(String doc, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The request ids a block's commands use: literal {@code /req/<id>/} and the page's {@code cmd <op>} helper. */
    private static List<String> requestIds(String block) {
        List<String> ids = new ArrayList<>();
        Matcher literal = REQUEST_ID.matcher(block);
        while (literal.find()) {
            if (!literal.group(1).contains("$")) {
                ids.add(literal.group(1));
            }
        }
        Matcher cmd = CMD_CALL.matcher(block);
        while (cmd.find()) {
            ids.add("r-" + cmd.group(1));
        }
        return ids;
    }

    /** Runs a block in {@code bash} in a session of its own, output to {@code out}. */
    private Process start(String block, Path out) throws IOException {
        Process shell = new ProcessBuilder("setsid", "bash", "-e", "-c", block).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        shells.add(shell);
        return shell;
    }

    private static String get(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            body[0] = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            return true;
        });
        return body[0];
    }
}

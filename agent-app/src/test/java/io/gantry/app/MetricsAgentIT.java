package io.gantry.app;

import static io.gantry.app.testing.MqttProbe.containing;
import static io.gantry.app.testing.MqttProbe.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.metrics.prometheus.Exposition;
import io.gantry.metrics.prometheus.ExpositionGrammar;
import io.gantry.metrics.sampling.HostPaths;
import io.gantry.metrics.sampling.KernelStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 end to end: a real agent, a real Mosquitto and real containers on the shared Docker engine. The cloud's
 * side is played by an MQTT client that sends Ditto commands to the {@code Metrics} feature and reads the replies and
 * the {@code data} live messages (reference/kanto-things.md §3.4, statements 45–52 of §5); the Prometheus endpoint is
 * scraped and read with the metrics module's strict checker and a real parser of the format.
 *
 * <p>The twin shows every container of the engine, other test runs' included, so the assertions look at this run's
 * containers (name prefix and label {@code io.gantry.test} unique to the run), which are removed afterwards.
 */
class MetricsAgentIT {

    private static final String RUN = "metrics-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String T = "metrics.e2e:gw:edge:containers";
    private static final String P = "metrics.e2e/gw:edge:containers";
    private static final String E = "e/e2e/" + T;
    private static final String DATA_PATH = "/features/Metrics/outbox/messages/data";
    private static final List<String> KANTO_ORDER = List.of("cpu.utilization", "memory.total", "memory.used",
            "memory.utilization", "io.readBytes", "io.writeBytes", "net.readBytes", "net.writeBytes", "pids");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static Mosquitto broker;
    private static AgentUnderTest agent;
    private static URI scrapeUri;
    /** A container that sleeps: the one the filters name. */
    private static String quiet;

    private MqttProbe cloud;

    @BeforeAll
    static void brokerContainersAndAgent() {
        TestImages.ensureBusybox(null);
        quiet = run("quiet", List.of(), "sleep", "3600");
        broker = Mosquitto.on(dir).start();
        int prometheusPort = Processes.freePort();
        scrapeUri = URI.create("http://127.0.0.1:" + prometheusPort + "/metrics");
        agent = AgentUnderTest.start(dir.resolve("agent"), """
                {"connection": {"broker_url": "tcp://127.0.0.1:%d"},
                 "things": {"device_id": "metrics.e2e:gw", "tenant_id": "e2e"},
                 "update_agent": {"enable": true},
                 "deployment": {"enable": false},
                 "metrics": {"prometheus": {"enable": true, "listen": "127.0.0.1:%d"}},
                 "state_dir": "%s"}
                """.formatted(broker.port(), prometheusPort, dir.resolve("state")));
    }

    @AfterAll
    static void removeEverything() {
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
        String ids = Processes.run("docker", "ps", "-aq", "--filter", "label=io.gantry.test=" + RUN);
        if (!ids.isBlank()) {
            List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
            rm.addAll(List.of(ids.split("\\s+")));
            Processes.run(rm.toArray(String[]::new));
        }
    }

    @BeforeEach
    void connectTheCloud() {
        cloud = connectCloud();
        // The twin is registered on this broker (again, after a restart by an earlier test).
        await().atMost(WAIT).until(() -> {
            String probeRequest = cmd("request", "{\"frequency\":\"0s\"}");
            return reply(probeRequest, Duration.ofSeconds(3)) != null;
        });
        cloud.clear();
    }

    @AfterEach
    void stopReportingAndDisconnect() {
        cmd("request", "{\"frequency\":\"0s\"}");
        cloud.close();
    }

    // ---- statements 45–52 ------------------------------------------------------------------------------------

    @Test
    void statements45and46_request2s_replies204_thenDataEvery2sOnE_inKantosOrder() throws Exception {
        long requestSecond = Instant.now().getEpochSecond();
        String r = cmd("request", "{\"frequency\":\"2s\"}");

        JsonNode reply = awaitReply(r);
        assertThat(reply.path("status").asInt()).isEqualTo(204);
        assertThat(reply.path("headers").toString()).isEqualTo("{\"correlation-id\":\"" + r + "\"}");
        assertThat(reply.path("path").asText()).isEqualTo("/features/Metrics/outbox/messages/request");
        assertThat(reply.has("value")).isFalse();

        awaitData(4);
        List<MqttProbe.Received> data = dataMessages();
        for (MqttProbe.Received message : data) {
            JsonNode envelope = JSON.readTree(message.payload());
            assertThat(envelope.path("topic").asText()).isEqualTo(P + "/things/live/messages/data");
            assertThat(envelope.path("headers").toString())
                    .isEqualTo("{\"content-type\":\"application/json\",\"response-required\":false}");
            assertThat(envelope.path("path").asText()).isEqualTo(DATA_PATH);
            JsonNode value = envelope.path("value");
            assertThat(value.path("timestamp").isIntegralNumber()).isTrue();
            assertThat(value.path("timestamp").asLong()).isBetween(requestSecond, Instant.now().getEpochSecond());
            for (JsonNode entry : value.path("snapshot")) {
                assertThat(entry.path("originator").asText()).matches("Container:[0-9a-f]{64}");
                assertThat(ids(entry)).isSubsetOf(KANTO_ORDER);
                assertThat(KANTO_ORDER).containsSubsequence(ids(entry));
            }
            JsonNode mine = entryOf(value, quiet);
            assertThat(mine).as("this run's container in %s", value).isNotNull();
            for (String integral : List.of("memory.total", "memory.used", "io.readBytes", "net.readBytes", "pids")) {
                assertThat(measurement(mine, integral).isIntegralNumber()).as(integral).isTrue();
            }
        }
        // A sleeping container has every figure, in Kanto's order; its CPU baseline was taken at the request.
        assertThat(ids(entryOf(JSON.readTree(data.get(data.size() - 1).payload()).path("value"), quiet)))
                .containsExactlyElementsOf(KANTO_ORDER);
        // About every 2 s: the mean gap, since one late tick on a busy host is followed by a short one.
        double meanGap = Duration.between(data.get(0).at(), data.get(data.size() - 1).at()).toMillis()
                / 1000.0 / (data.size() - 1);
        assertThat(meanGap).isBetween(1.5, 3.0);
    }

    @Test
    void statements47and48_100msIsRaisedToOneSecond_andARequestWithoutFrequencyStops() {
        cloud.clear();
        awaitReply(cmd("request", "{\"frequency\":\"100ms\"}"));

        awaitData(5);
        List<MqttProbe.Received> data = dataMessages();
        // Unclamped there would be some 30 in the first 3 s; a late tick may be followed by an early one.
        Instant first = data.get(0).at();
        assertThat(data.stream().filter(m -> !m.at().isAfter(first.plusSeconds(3)))).hasSizeLessThanOrEqualTo(5);
        double meanGap = Duration.between(data.get(0).at(), data.get(data.size() - 1).at()).toMillis()
                / 1000.0 / (data.size() - 1);
        assertThat(meanGap).isBetween(0.9, 1.6);

        JsonNode stop = awaitReply(cmd("request", "{}"));
        assertThat(stop.path("status").asInt()).isEqualTo(204);
        assertNoDataAfter(Instant.now(), Duration.ofSeconds(3));
    }

    @Test
    void statement48_frequency0s_replies204_andTheDataStops() {
        awaitReply(cmd("request", "{\"frequency\":\"1s\"}"));
        awaitData(1);

        JsonNode stop = awaitReply(cmd("request", "{\"frequency\":\"0s\"}"));

        assertThat(stop.path("status").asInt()).isEqualTo(204);
        assertNoDataAfter(Instant.now(), Duration.ofSeconds(3));
    }

    @Test
    void statement49_invalidFrequencyAndNull_reply400WithKantosText() {
        String invalid = cmd("request", "{\"frequency\":\"invalid frequency\"}");
        String nothing = cmd("request", "{\"frequency\":null}");

        assertError(awaitReply(invalid), invalid, "request", 400, "messages:parameter.invalid",
                "time: invalid duration \"invalid frequency\"");
        assertError(awaitReply(nothing), nothing, "request", 400, "messages:parameter.invalid",
                "invalid duration: <nil>");
    }

    @Test
    void statement50_filtersThatSelectNothing_sendNoData_andAnOriginatorSelectsExactlyItsContainer()
            throws Exception {
        awaitReply(cmd("request", "{\"frequency\":\"2s\",\"filter\":[{\"originator\":\"test.process\"}]}"));
        assertNoDataAfter(Instant.now(), Duration.ofSeconds(5));

        awaitReply(cmd("request", "{\"frequency\":\"2s\",\"filter\":[{\"id\":[\"test.io\"],\"originator\":\""
                + originator(quiet) + "\"}]}"));
        assertNoDataAfter(Instant.now(), Duration.ofSeconds(5));

        cloud.clear();
        awaitReply(cmd("request", "{\"frequency\":\"1s\",\"filter\":[{\"originator\":\"" + originator(quiet)
                + "\"}]}"));
        awaitData(2);
        for (MqttProbe.Received message : dataMessages()) {
            JsonNode snapshot = JSON.readTree(message.payload()).path("value").path("snapshot");
            assertThat(snapshot).hasSize(1);
            assertThat(snapshot.get(0).path("originator").asText()).isEqualTo(originator(quiet));
        }
    }

    @Test
    void statement51_cpuFilter_reportsOnlyCpu_andABusyLoopShowsOneCoresShareOfTheMachine() throws Exception {
        String busy = run("busy", List.of(), "sh", "-c", "while :; do :; done");
        try {
            awaitReply(cmd("request", "{\"frequency\":\"1s\",\"filter\":[{\"id\":[\"cpu.*\"],\"originator\":\""
                    + originator(busy) + "\"}]}"));
            awaitData(4);
            String dockerStats = Processes.run("docker", "stats", "--no-stream", "--format", "{{.CPUPerc}}", busy);
            awaitData(6);

            List<Double> cpu = new ArrayList<>();
            for (MqttProbe.Received message : dataMessages()) {
                JsonNode snapshot = JSON.readTree(message.payload()).path("value").path("snapshot");
                assertThat(snapshot).hasSize(1);
                assertThat(snapshot.get(0).path("originator").asText()).isEqualTo(originator(busy));
                assertThat(ids(snapshot.get(0))).containsExactly("cpu.utilization");
                cpu.add(measurement(snapshot.get(0), "cpu.utilization").asDouble());
            }
            // Kanto's scale: the share of the whole machine, so one busy core is 100 / online CPUs (50 on two
            // cores), never docker stats' 100. Other builds on this shared host may take part of the core.
            int cpus = KernelStats.open(HostPaths.DEFAULT).readHost().onlineCpus();
            double oneCore = 100.0 / cpus;
            assertThat(cpu).allSatisfy(v -> assertThat(v).isBetween(0.15 * oneCore, 1.1 * oneCore));
            // docker stats counts 100 per core: divided by the CPUs it is the same figure.
            double dockerShare = Double.parseDouble(dockerStats.replace("%", "")) / cpus;
            double mean = cpu.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(mean).isCloseTo(dockerShare,
                    org.assertj.core.data.Offset.offset(Math.max(5.0 / cpus, dockerShare * 0.3)));
        } finally {
            cmd("request", "{\"frequency\":\"0s\"}");
            Processes.run("docker", "rm", "-f", busy);
        }
    }

    @Test
    void statement52_otherOperation_replies404() {
        String r = cmd("invalidRequest", "{\"frequency\":\"2s\"}");

        assertError(awaitReply(r), r, "invalidRequest", 404, "messages:subject.notfound",
                "unsupported operation invalidRequest");
    }

    // ---- beyond the statements -------------------------------------------------------------------------------

    @Test
    void memoryUsed_growsWhenTheContainerAllocates() throws Exception {
        String mem = run("mem", List.of("--tmpfs", "/big:size=100m"), "sleep", "3600");
        awaitReply(cmd("request", "{\"frequency\":\"1s\",\"filter\":[{\"id\":[\"memory.used\"],\"originator\":\""
                + originator(mem) + "\"}]}"));
        awaitData(1);
        double before = latestMemoryUsed(mem);
        assertThat(before).isLessThan(20 << 20);

        Processes.run("docker", "exec", mem, "sh", "-c", "head -c 52428800 /dev/zero > /big/fill");

        // 50 MiB in the container's tmpfs are charged to its cgroup; the small processes around them come and go.
        await().atMost(WAIT).until(() -> latestMemoryUsed(mem) >= before + (45 << 20));
    }

    @Test
    void request_survivesABrokerKillAndRestart_dataFlowsAgainAfterTheTwinIsPublishedAgain() throws Exception {
        awaitReply(cmd("request", "{\"frequency\":\"1s\",\"filter\":[{\"originator\":\"" + originator(quiet)
                + "\"}]}"));
        awaitData(1);
        Map<String, Exposition.Parsed> before = scrape();

        cloud.close();
        broker.kill();
        await().atMost(WAIT).until(() -> value(scrape(), "gantry_mqtt_connected") == 0);
        broker.start();
        cloud = connectCloud();

        // No new request: once the agent is back and has published the whole twin again, the same request's data
        // flows (the live messages are dropped until then, and the counters below show the re-registration).
        awaitData(3);
        assertThat(dataMessages()).allSatisfy(m -> assertThat(m.payload()).contains(originator(quiet)));

        Map<String, Exposition.Parsed> after = scrape();
        assertThat(value(after, "gantry_mqtt_connected")).isEqualTo(1);
        assertThat(value(after, "gantry_mqtt_reconnects_total"))
                .isGreaterThanOrEqualTo(value(before, "gantry_mqtt_reconnects_total") + 1);
        assertThat(value(after, "gantry_twin_resyncs_total"))
                .isGreaterThanOrEqualTo(value(before, "gantry_twin_resyncs_total") + 1);
    }

    @Test
    void switchingTheMetricsFeatureOff_endsTheRequest_whichDoesNotComeBackWithTheFeature() throws Exception {
        awaitReply(cmd("request", "{\"frequency\":\"1s\",\"filter\":[{\"originator\":\"" + originator(quiet)
                + "\"}]}"));
        awaitData(1);
        String original = Files.readString(agent.configFile());
        try {
            save(original.replace("\"tenant_id\": \"e2e\"}",
                    "\"tenant_id\": \"e2e\", \"features\": [\"ContainerFactory\", \"SoftwareUpdatable\"]}"));
            cloud.await(WAIT, on(E).and(containing("/things/twin/commands/delete"))
                    .and(containing("\"path\":\"/features/Metrics\"")));
            assertNoDataAfter(Instant.now(), Duration.ofSeconds(3));
        } finally {
            cloud.clear();
            save(original);
        }
        cloud.await(WAIT, on(E).and(containing("/things/twin/commands/modify"))
                .and(containing("\"path\":\"/features/Metrics\"")));
        // Like Kanto, which disposes the feature with its request: the feature is back, the request is not.
        assertNoDataAfter(Instant.now(), Duration.ofSeconds(3));
    }

    @Test
    void prometheusScrape_isValidExposition_withContainerFiguresAndGantrysOwn() throws Exception {
        // A desired state for another domain: refused (IDENTIFICATION_FAILED) without touching any container of
        // the shared engine, which a valid one would (it removes every managed container it does not name).
        cloud.subscribe("containersupdate/desiredstatefeedback");
        cloud.publish("containersupdate/desiredstate", """
                {"activityId":"metrics-e2e","timestamp":1719560121000,
                 "payload":{"domains":[{"id":"not-containers","components":[]}]}}""");
        cloud.await(WAIT, containing("IDENTIFICATION_FAILED"));

        HttpResponse<String> response = http(scrapeUri);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(ExpositionGrammar.violations(response.body())).isEmpty();
        Map<String, Exposition.Parsed> families = Exposition.parse(response.body());

        Map<String, String> labels = Map.of("id", quiet, "name", RUN + "-quiet", "image", TestImages.BUSYBOX);
        for (String family : List.of("gantry_container_cpu_seconds_total", "gantry_container_memory_used_bytes",
                "gantry_container_memory_limit_bytes", "gantry_container_block_read_bytes_total",
                "gantry_container_block_write_bytes_total", "gantry_container_network_receive_bytes_total",
                "gantry_container_network_transmit_bytes_total", "gantry_container_pids")) {
            assertThat(families.get(family).samples()).as(family).containsKey(labels);
        }
        assertThat(families.get("gantry_container_pids").samples().get(labels)).isEqualTo(1.0);
        assertThat(families.get("gantry_container_cpu_seconds_total").type()).isEqualTo("COUNTER");
        assertThat(value(families, "gantry_mqtt_connected")).isEqualTo(1);
        assertThat(value(families, "gantry_mqtt_messages_received_total")).isGreaterThanOrEqualTo(2);
        assertThat(value(families, "gantry_mqtt_messages_published_total")).isGreaterThanOrEqualTo(4);
        assertThat(value(families, "gantry_engine_available")).isEqualTo(1);
        assertThat(value(families, "gantry_uptime_seconds")).isPositive();
        assertThat(families).containsKey("gantry_twin_resyncs_total").containsKey("gantry_mqtt_reconnects_total");
        assertThat(families.get("gantry_update_operations_total").samples())
                .containsEntry(Map.of("result", "identification_failed"), 1.0);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Saves the agent's configuration file as many editors do: a new file renamed over the old one. */
    private static void save(String json) throws IOException {
        Path tmp = agent.configFile().resolveSibling(".config.json.swp");
        Files.writeString(tmp, json);
        Files.move(tmp, agent.configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static MqttProbe connectCloud() {
        return MqttProbe.connect(broker.port()).subscribe("e/#").subscribe("command//+/res/#");
    }

    /** Starts a container of this run ({@code docker run -d} with the run's name prefix and label); its full id. */
    private static String run(String name, List<String> options, String... command) {
        List<String> line = new ArrayList<>(List.of("docker", "run", "-d", "--name", RUN + "-" + name,
                "--label", "io.gantry.test=" + RUN));
        line.addAll(options);
        line.add(TestImages.BUSYBOX);
        line.addAll(List.of(command));
        return Processes.run(line.toArray(String[]::new));
    }

    private static String originator(String id) {
        return "Container:" + id;
    }

    /**
     * {@code cmd(op, Metrics, value)} of §5 with a fresh request id, which is also the correlation id.
     *
     * @return the request id
     */
    private String cmd(String operation, String valueJson) {
        String requestId = "r" + REQUESTS.incrementAndGet();
        cloud.publish("command//" + T + "/req/" + requestId + "/" + operation, """
                {"topic":"%s/things/live/messages/%s",
                 "headers":{"correlation-id":"%s","response-required":true,"content-type":"application/json"},
                 "path":"/features/Metrics/inbox/messages/%s","value":%s}"""
                .formatted(P, operation, requestId, operation, valueJson));
        return requestId;
    }

    private JsonNode reply(String requestId, Duration timeout) {
        try {
            return JSON.readTree(cloud.await(timeout, r -> r.topic().startsWith("command//" + T + "/res/"
                    + requestId + "/")).payload());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode awaitReply(String requestId) {
        JsonNode reply = reply(requestId, WAIT);
        assertThat(reply).as("reply to " + requestId).isNotNull();
        return reply;
    }

    private static void assertError(JsonNode reply, String requestId, String operation, int status, String code,
                                    String message) {
        assertThat(reply.path("topic").asText()).isEqualTo(P + "/things/live/messages/" + operation);
        assertThat(reply.path("headers").toString()).isEqualTo("{\"content-type\":\"application/json\","
                + "\"correlation-id\":\"" + requestId + "\"}");
        assertThat(reply.path("path").asText()).isEqualTo("/features/Metrics/outbox/messages/" + operation);
        assertThat(reply.path("status").asInt()).isEqualTo(status);
        assertThat(reply.path("value").toString()).isEqualTo(JSON.createObjectNode().put("error", code)
                .put("status", status).put("message", message).toString());
    }

    private List<MqttProbe.Received> dataMessages() {
        return cloud.received(on(E).and(containing(DATA_PATH)));
    }

    private void awaitData(int count) {
        await().atMost(Duration.ofSeconds(count * 3L + 20)).pollInterval(Duration.ofMillis(50))
                .until(() -> dataMessages().size() >= count);
    }

    /**
     * No data message arrives later than half a second after {@code from} (a tick that was already running when
     * the request came may still land), for {@code quiet}: more than two periods of the requests here.
     */
    private void assertNoDataAfter(Instant from, Duration quiet) {
        Instant limit = from.plusMillis(500);
        await().during(quiet).atMost(quiet.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> dataMessages().stream().noneMatch(m -> m.at().isAfter(limit)));
    }

    private double latestMemoryUsed(String id) throws IOException {
        List<MqttProbe.Received> data = dataMessages();
        JsonNode entry = entryOf(JSON.readTree(data.get(data.size() - 1).payload()).path("value"), id);
        return measurement(entry, "memory.used").asDouble();
    }

    private static JsonNode entryOf(JsonNode value, String id) {
        String originator = originator(id);
        for (JsonNode entry : value.path("snapshot")) {
            if (entry.path("originator").asText().equals(originator)) {
                return entry;
            }
        }
        return null;
    }

    private static List<String> ids(JsonNode entry) {
        List<String> ids = new ArrayList<>();
        entry.path("measurements").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private static JsonNode measurement(JsonNode entry, String id) {
        for (JsonNode m : entry.path("measurements")) {
            if (m.path("id").asText().equals(id)) {
                return m.path("value");
            }
        }
        throw new AssertionError("no " + id + " in " + entry);
    }

    private static Map<String, Exposition.Parsed> scrape() throws Exception {
        String body = http(scrapeUri).body();
        assertThat(ExpositionGrammar.violations(body)).isEmpty();
        return Exposition.parse(body);
    }

    /** The value of a family with one sample and no labels. */
    private static double value(Map<String, Exposition.Parsed> families, String name) {
        assertThat(families).containsKey(name);
        return families.get(name).samples().get(Map.of());
    }

    private static HttpResponse<String> http(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

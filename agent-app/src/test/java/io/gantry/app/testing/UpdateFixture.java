package io.gantry.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an end-to-end test of the update agent runs against: an engine of its own ({@link PrivateEngine}, or a
 * {@link PodmanEngine} with {@link #onPodman()}) holding the two test images {@link #APP_1} and {@link #APP_2}, a
 * real Mosquitto, a probe that plays the update manager (or {@code mosquitto_pub}), and a real agent started from a
 * configuration file, in the test's JVM ({@link #startAgent}) or, for crash tests, as a process of its own. Also the helpers to write desired states and read feedback.
 *
 * <p>A test class registers one: {@code @RegisterExtension static final UpdateFixture fixture = new UpdateFixture();}.
 * Everything is ready before the class's {@code @BeforeAll} methods run, and removed, engine and files included,
 * after its last test.
 */
public final class UpdateFixture implements BeforeAllCallback, AfterAllCallback {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String PREFIX = "containersupdate/";
    public static final String DESIRED = PREFIX + "desiredstate";
    public static final String COMMAND = PREFIX + "desiredstate/command";
    public static final String FEEDBACK = PREFIX + "desiredstatefeedback";
    public static final String CURRENT = PREFIX + "currentstate";
    public static final Duration OPERATION = Duration.ofSeconds(60);
    /** Test images built into the engine: the test image's default command, told apart by a label. */
    public static final String APP_1 = "gantry-e2e/app:1";
    public static final String APP_2 = "gantry-e2e/app:2";

    private Path dir;
    private final Supplier<TestEngine> engines;
    private TestEngine engine;
    private Mosquitto broker;
    private MqttProbe probe;
    private AgentUnderTest agent;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("gantry-e2e-");
        engine = engines.get();
        engine.build(APP_1, "LABEL e2e.version=1");
        engine.build(APP_2, "LABEL e2e.version=2");
        broker = Mosquitto.on(dir).start();
        probe = MqttProbe.connect(broker.port()).subscribe(PREFIX + "#");
    }

    /** A directory of the test class's own, removed after it. */
    public Path dir() {
        return dir;
    }

    /** On a {@link PrivateEngine}. */
    public UpdateFixture() {
        this(PrivateEngine::start);
    }

    private UpdateFixture(Supplier<TestEngine> engines) {
        this.engines = engines;
    }

    /** On a rootful Podman of the class's own ({@link PodmanEngine}), as an operator points Gantry at one. */
    public static UpdateFixture onPodman() {
        return new UpdateFixture(PodmanEngine::start);
    }

    public TestEngine engine() {
        return engine;
    }

    public Mosquitto broker() {
        return broker;
    }

    public MqttProbe probe() {
        return probe;
    }

    /**
     * The agent's configuration: this fixture's broker and engine, the twin and descriptor deployment off, a short
     * settle time (1s, unless {@code updateAgent} sets one), the state directory under the test's directory, plus
     * {@code updateAgent} (JSON members of {@code update_agent}) and {@code extra} (more top-level members, e.g.
     * {@code "registries": {…}}).
     */
    public String config(String updateAgent, String extra) {
        // A fixed client id, as operators often configure one: gantry apply and state, reading the same file, must
        // not take the agent's session over.
        return "{\"connection\": {\"broker_url\": \"" + broker.url() + "\", \"client_id\": \"gantry-under-test\"},"
                + "\"engine\": {\"host\": \"" + engine.host() + "\"},"
                + "\"things\": {\"enable\": false}, \"deployment\": {\"enable\": false},"
                + "\"state_dir\": \"" + dir.resolve("state") + "\","
                + "\"update_agent\": {" + (updateAgent.contains("settle_time") ? "" : "\"settle_time\": \"1s\"")
                + (updateAgent.isBlank() || updateAgent.contains("settle_time") ? "" : ", ") + updateAgent + "}"
                + (extra.isBlank() ? "" : ", " + extra) + "}";
    }

    /** Starts an agent in this JVM (after closing the one started before) and waits until it listens. */
    public AgentUnderTest startAgent(String updateAgent, String extra) {
        if (agent != null) {
            agent.close();
        }
        probe.clear();
        agent = AgentUnderTest.start(dir.resolve("agent"), config(updateAgent, extra));
        probe.await(OPERATION, r -> r.topic().equals(CURRENT) && r.payload().contains("initial-current-state-"));
        return agent;
    }

    // ---- desired states ----------------------------------------------------------------------------------------

    /** A component: id, version, then config key/value pairs. */
    public static ObjectNode component(String id, String version, String... config) {
        ObjectNode c = JSON.createObjectNode().put("id", id).put("version", version);
        ArrayNode pairs = c.putArray("config");
        for (int i = 0; i < config.length; i += 2) {
            pairs.addObject().put("key", config[i]).put("value", config[i + 1]);
        }
        return c;
    }

    /** A desired-state payload of the {@code containers} domain with {@code components}. */
    public static ObjectNode payload(List<ObjectNode> components, Consumer<ObjectNode> domain) {
        ObjectNode payload = JSON.createObjectNode();
        ObjectNode d = payload.putArray("domains").addObject().put("id", "containers");
        d.putArray("config");
        d.putArray("components").addAll(components);
        domain.accept(d);
        return payload;
    }

    public static ObjectNode payload(ObjectNode... components) {
        return payload(List.of(components), d -> { });
    }

    public static String envelope(String activityId, JsonNode payload) {
        return JSON.createObjectNode().put("activityId", activityId).put("timestamp", System.currentTimeMillis())
                .set("payload", payload).toString();
    }

    /** Publishes a desired state under a new activity id and returns the id. */
    public String send(JsonNode payload) {
        String activityId = "e2e-" + UUID.randomUUID();
        probe.publish(DESIRED, envelope(activityId, payload));
        return activityId;
    }

    public void command(String activityId, String command) {
        probe.publish(COMMAND, envelope(activityId, JSON.createObjectNode().put("command", command)));
    }

    // ---- feedback ----------------------------------------------------------------------------------------------

    /** The payloads of every feedback message of {@code activityId} so far, in order. */
    public List<JsonNode> feedback(String activityId) {
        List<JsonNode> out = new ArrayList<>();
        for (MqttProbe.Received r : probe.received(r -> r.topic().equals(FEEDBACK))) {
            JsonNode envelope = read(r.payload());
            if (envelope.path("activityId").asText().equals(activityId)) {
                out.add(envelope.path("payload"));
            }
        }
        return out;
    }

    public List<String> statuses(String activityId) {
        return feedback(activityId).stream().map(f -> f.path("status").asText()).toList();
    }

    /** Waits until {@code activityId} has a feedback of {@code status} and returns it. */
    public JsonNode await(String activityId, String status) {
        probe.await(OPERATION, r -> r.topic().equals(FEEDBACK) && read(r.payload()).path("activityId").asText()
                .equals(activityId) && read(r.payload()).path("payload").path("status").asText().equals(status));
        return feedback(activityId).stream().filter(f -> f.path("status").asText().equals(status)).findFirst()
                .orElseThrow();
    }

    /** Waits for the final feedback (COMPLETED, INCOMPLETE or IDENTIFICATION_FAILED) of {@code activityId}. */
    public JsonNode awaitEnd(String activityId) {
        probe.await(OPERATION, r -> r.topic().equals(FEEDBACK) && read(r.payload()).path("activityId").asText()
                .equals(activityId) && List.of("COMPLETED", "INCOMPLETE", "IDENTIFICATION_FAILED")
                .contains(read(r.payload()).path("payload").path("status").asText()));
        List<JsonNode> all = feedback(activityId);
        return all.get(all.size() - 1);
    }

    /** Sends a desired state, waits for its end and asserts that it completed. */
    public String apply(JsonNode payload) {
        String activityId = send(payload);
        JsonNode end = awaitEnd(activityId);
        assertThat(end.path("status").asText()).as("final feedback of %s: %s", activityId, end).isEqualTo("COMPLETED");
        return activityId;
    }

    /** The action statuses (or messages) of a feedback payload, by component id. */
    public static Map<String, String> actions(JsonNode feedback, String field) {
        Map<String, String> out = new TreeMap<>();
        feedback.path("actions").forEach(a -> out.put(a.path("component").path("id").asText(), a.path(field).asText()));
        return out;
    }

    /** Asks for the current state ({@code currentstate/get}) and returns the inventory that answers it. */
    public JsonNode currentState() {
        String activityId = "get-" + UUID.randomUUID();
        probe.publish(PREFIX + "currentstate/get", envelope(activityId, JSON.createObjectNode()));
        MqttProbe.Received r = probe.await(OPERATION, m -> m.topic().equals(CURRENT)
                && read(m.payload()).path("activityId").asText().equals(activityId));
        assertThat(r.retained()).as("a current state asked for is not a retained copy").isFalse();
        return read(r.payload()).path("payload");
    }

    /** A container node's parameters, key to values (in order), from an inventory. */
    public static Map<String, List<String>> parameters(JsonNode inventory, String name) {
        for (JsonNode node : inventory.path("softwareNodes")) {
            if (node.path("id").asText().equals("containers:" + name)) {
                Map<String, List<String>> out = new TreeMap<>();
                node.path("parameters").forEach(p -> out.computeIfAbsent(p.path("key").asText(),
                        k -> new ArrayList<>()).add(p.path("value").asText()));
                return out;
            }
        }
        throw new AssertionError("no node containers:" + name + " in " + inventory);
    }

    /**
     * Where two views of the engine ({@code docker inspect} of every container, by name) differ, one line per JSON
     * path: empty when they are the same.
     */
    /**
     * What a rollback must bring back exactly, container by container: id, image, run state (status, running, paused,
     * exit code) and the whole configuration and host configuration. Times and process ids naturally change on a
     * restart. Compare two with {@link #differences}.
     */
    public Map<String, JsonNode> snapshot() {
        Map<String, JsonNode> out = new TreeMap<>();
        engine.inspectAll().forEach((name, c) -> {
            ObjectNode kept = JSON.createObjectNode();
            kept.set("Id", c.path("Id"));
            kept.set("Image", c.path("Image"));
            JsonNode state = c.path("State");
            kept.putObject("State").put("Status", state.path("Status").asText())
                    .put("Running", state.path("Running").asBoolean()).put("Paused", state.path("Paused").asBoolean())
                    .put("ExitCode", state.path("ExitCode").asInt());
            kept.set("Config", c.path("Config"));
            kept.set("HostConfig", c.path("HostConfig"));
            out.put(name, kept);
        });
        return out;
    }

    public static List<String> differences(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            differences(name, before.get(name), after.get(name), out);
        }
        return out;
    }

    private static void differences(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            java.util.Set<String> fields = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(fields::add);
            b.fieldNames().forEachRemaining(fields::add);
            fields.forEach(f -> differences(path + "/" + f, a.get(f), b.get(f), out));
        } else if (path.endsWith("/Mounts") && a != null && b != null && a.isArray() && b.isArray()) {
            // Docker lists a container's mounts from a map: their order changes from one inspect to the next.
            if (!byDestination(a).equals(byDestination(b))) {
                out.add(path + ": " + a + " -> " + b);
            }
        } else if (a == null || !a.equals(b)) {
            out.add(path + ": " + a + " -> " + b);
        }
    }

    private static List<String> byDestination(JsonNode mounts) {
        List<String> sorted = new ArrayList<>();
        mounts.forEach(m -> sorted.add(m.path("Destination").asText() + " " + m));
        sorted.sort(null);
        return sorted;
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            try {
                if (probe != null) {
                    probe.close();
                }
                if (broker != null) {
                    broker.close();
                }
            } finally {
                if (engine != null) {
                    engine.close();
                }
                if (dir != null) {
                    Processes.attempt(Map.of(), "rm", "-rf", dir.toString());
                }
            }
        }
    }
}

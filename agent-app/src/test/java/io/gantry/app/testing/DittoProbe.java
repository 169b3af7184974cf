package io.gantry.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.gantry.app.testing.MqttProbe.Received;
import io.gantry.core.golden.GoldenJson;
import io.gantry.ditto.DittoOracle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * The cloud side of a twin end-to-end test, over a real broker: it sends Ditto commands to a thing as Hono would
 * (reference/kanto-things.md §5, "cmd(op, feature, value)"), waits for their replies, and reads the twin's messages on
 * the thing's events topic. It records everything on the broker ({@code #}); {@link #forget()} moves the start of
 * what the queries look at, and {@link #assertAllValidDitto()} checks every twin message and reply ever received with
 * Eclipse Ditto's protocol library.
 */
public final class DittoProbe implements AutoCloseable {

    /** The thing a test talks to, written out literally so that the test does not reuse the code under test. */
    public record Thing(String thingId, String topicPrefix, String tenant) {

        /** {@code e/<tenant>/<thingId>}, where the twin publishes. */
        public String events() {
            return "e/" + tenant + "/" + thingId;
        }

        public String request(String requestId, String command) {
            return "command//" + thingId + "/req/" + requestId + "/" + command;
        }

        /** The reply topic up to and including the request id, followed by {@code /<status>}. */
        public String replyPrefix(String requestId) {
            return "command//" + thingId + "/res/" + requestId + "/";
        }

        /**
         * A command envelope for this thing whose live-message topic names the path's last segment, as a
         * well-behaved sender writes it; {@code headersJson} is the whole {@code "headers":…} member.
         */
        public String envelope(String headersJson, String path, String valueJson) {
            String subject = path.substring(path.lastIndexOf('/') + 1);
            return "{\"topic\":\"" + topicPrefix + "/things/live/messages/" + subject + "\"," + headersJson
                    + ",\"path\":\"" + path + "\"" + (valueJson == null ? "" : ",\"value\":" + valueJson) + "}";
        }
    }

    /** A reply to a command: its topic's status segment and the envelope. */
    public record Reply(String topic, int topicStatus, JsonNode envelope) {

        public int status() {
            return envelope.path("status").asInt();
        }

        public JsonNode value() {
            return envelope.path("value");
        }

        /** The error text of an error reply. */
        public String message() {
            return envelope.at("/value/message").asText();
        }

        public String path() {
            return envelope.path("path").asText();
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MqttProbe mqtt;
    private final AtomicInteger counter = new AtomicInteger();
    private volatile Thing thing;
    private volatile int from;
    private final List<JsonNode> parsed = new ArrayList<>();

    private DittoProbe(MqttProbe mqtt, Thing thing) {
        this.mqtt = mqtt;
        this.thing = thing;
    }

    /** Connects to the broker on {@code 127.0.0.1:port} and records everything published there. */
    public static DittoProbe connect(int port, Thing thing) {
        return new DittoProbe(MqttProbe.connect(port).subscribe("#"), thing);
    }

    public Thing thing() {
        return thing;
    }

    /** Talks to another thing from now on (after a device change). */
    public void thing(Thing other) {
        thing = other;
    }

    public MqttProbe mqtt() {
        return mqtt;
    }

    /** Queries look only at what arrives from now on. */
    public void forget() {
        from = mqtt.received().size();
    }

    /** Everything received since the last {@link #forget()}. */
    public List<Received> received() {
        List<Received> all = mqtt.received();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    // ---- commands ---------------------------------------------------------------------------------------------

    /** A fresh request id, so that no two commands of a test run share one. */
    public String requestId() {
        return "r" + counter.incrementAndGet();
    }

    /**
     * The envelope of §5's {@code cmd}: live-message topic, inbox path, headers with {@code correlation-id} (the
     * request id with {@code c} in front), {@code response-required:true} and a content type when there is a value.
     */
    public String envelope(String requestId, String operation, String feature, String valueJson) {
        String headers = "\"headers\":{\"correlation-id\":\"c-" + requestId + "\",\"response-required\":true"
                + (valueJson == null ? "" : ",\"content-type\":\"application/json\"") + "}";
        return thing.envelope(headers, "/features/" + feature + "/inbox/messages/" + operation, valueJson);
    }

    /** Sends a two-way command and returns its request id without waiting. */
    public String send(String operation, String feature, String valueJson) {
        String requestId = requestId();
        mqtt.publish(thing.request(requestId, operation), envelope(requestId, operation, feature, valueJson));
        return requestId;
    }

    /** Sends a two-way command and waits for its reply. {@code valueJson} null sends no value. */
    public Reply command(String operation, String feature, String valueJson) {
        return awaitReply(send(operation, feature, valueJson));
    }

    /** Publishes {@code payload} on the thing's command topic with a fresh request id and waits for the reply. */
    public Reply raw(String payload) {
        String requestId = requestId();
        mqtt.publish(thing.request(requestId, "x"), payload);
        return awaitReply(requestId);
    }

    public Reply awaitReply(String requestId) {
        return awaitReply(requestId, WAIT);
    }

    public Reply awaitReply(String requestId, Duration timeout) {
        String prefix = thing.replyPrefix(requestId);
        Received r = mqtt.await(timeout, m -> m.topic().startsWith(prefix));
        return new Reply(r.topic(), Integer.parseInt(r.topic().substring(prefix.length())),
                GoldenJson.parse(r.payload()));
    }

    /** The reply to {@code requestId} if one has arrived. */
    public Optional<Reply> replyTo(String requestId) {
        String prefix = thing.replyPrefix(requestId);
        return mqtt.received(m -> m.topic().startsWith(prefix)).stream().findFirst()
                .map(r -> new Reply(r.topic(), Integer.parseInt(r.topic().substring(prefix.length())),
                        GoldenJson.parse(r.payload())));
    }

    /** Every reply on any thing's reply topics since {@link #forget()}. */
    public List<Received> replies() {
        return received().stream().filter(r -> r.topic().startsWith("command//") && r.topic().contains("/res/"))
                .toList();
    }

    // ---- the twin's messages ----------------------------------------------------------------------------------

    /** The envelopes on the thing's events topic since {@link #forget()}, in order of arrival. */
    public List<JsonNode> events() {
        String topic = thing.events();
        List<Received> all = mqtt.received();
        List<JsonNode> json = parsed(all);
        List<JsonNode> events = new ArrayList<>();
        for (int i = Math.min(from, all.size()); i < all.size(); i++) {
            if (all.get(i).topic().equals(topic)) {
                events.add(json.get(i));
            }
        }
        return events;
    }

    /**
     * The payloads of {@code all} as JSON, each parsed once: tests poll often, and the twin of a shared engine
     * publishes a lot. Relies on the probe's list only growing (this class never clears it).
     */
    private synchronized List<JsonNode> parsed(List<Received> all) {
        for (int i = parsed.size(); i < all.size(); i++) {
            String payload = all.get(i).payload();
            JsonNode json;
            try {
                json = GoldenJson.parse(payload);
            } catch (IllegalArgumentException notJson) {
                json = MissingNode.getInstance();
            }
            parsed.add(json);
        }
        return List.copyOf(parsed.subList(0, all.size()));
    }

    /** The events whose path is {@code path} or lies below it. */
    public List<JsonNode> eventsUnder(String path) {
        return events().stream().filter(e -> under(e, path)).toList();
    }

    /** Waits for an event that matches and returns the first one. */
    public JsonNode awaitEvent(Predicate<JsonNode> match) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> events().stream().anyMatch(match));
        return events().stream().filter(match).findFirst().orElseThrow();
    }

    /** Waits for {@code modify …/Container:<id>/properties/status/state} with the given status. */
    public JsonNode awaitState(String containerId, String status) {
        String path = containerPath(containerId) + "/properties/status/state";
        return awaitEvent(e -> isModify(e) && path(e).equals(path) && e.at("/value/status").asText().equals(status));
    }

    /**
     * Waits until the twin shows the container with {@code status}, in its whole feature or in a state modify (a
     * container made with the CLI may already run when the twin first reads it).
     */
    public JsonNode awaitStatus(String containerId, String status) {
        String feature = containerPath(containerId);
        String state = feature + "/properties/status/state";
        return awaitEvent(e -> isModify(e) && ((path(e).equals(state) && e.at("/value/status").asText().equals(status))
                || (path(e).equals(feature) && e.at("/value/properties/status/state/status").asText().equals(status))));
    }

    /** Waits for the whole-feature modify of a container and returns its {@code properties.status}. */
    public JsonNode awaitFeature(String containerId) {
        String path = containerPath(containerId);
        return awaitEvent(e -> isModify(e) && path(e).equals(path)).at("/value/properties/status");
    }

    /** Waits for the deletion of a container's feature. */
    public JsonNode awaitDeleted(String containerId) {
        String path = containerPath(containerId);
        return awaitEvent(e -> path(e).equals(path) && e.path("topic").asText().endsWith("/things/twin/commands/delete"));
    }

    /** The paths (relative to the container's feature, "" for the feature itself) of its events, in order. */
    public List<String> containerEvents(String containerId) {
        String path = containerPath(containerId);
        return eventsUnder(path).stream().map(e -> (isModify(e) ? "modify " : "delete ")
                + path(e).substring(path.length()) + stateSuffix(e)).toList();
    }

    private static String stateSuffix(JsonNode e) {
        return path(e).endsWith("/status/state") ? " " + e.at("/value/status").asText() : "";
    }

    public static String containerPath(String containerId) {
        return "/features/Container:" + containerId;
    }

    public static String path(JsonNode envelope) {
        return envelope.path("path").asText();
    }

    public static boolean isModify(JsonNode envelope) {
        return envelope.path("topic").asText().endsWith("/things/twin/commands/modify");
    }

    private static boolean under(JsonNode envelope, String path) {
        String p = path(envelope);
        return p.equals(path) || p.startsWith(path + "/");
    }

    /** Every message on a twin events topic or a reply topic, since the start, must be valid Ditto. */
    public void assertAllValidDitto() {
        for (Received r : mqtt.received()) {
            if (r.topic().startsWith("e/") || (r.topic().startsWith("command//") && r.topic().contains("/res/"))) {
                DittoOracle.check(r.payload());
                assertThat(r.retained()).as("retain flag of %s", r.topic()).isFalse();
            }
        }
    }

    @Override
    public void close() {
        mqtt.close();
    }
}

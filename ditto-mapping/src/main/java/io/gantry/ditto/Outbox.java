package io.gantry.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gantry.core.transport.MessageTransport;
import io.gantry.ditto.protocol.DittoCodec;
import io.gantry.ditto.protocol.DittoEnvelope;
import io.gantry.ditto.protocol.DittoTopic;
import io.gantry.ditto.protocol.MqttTopics;
import io.gantry.ditto.protocol.ThingIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the twin's outbound messages on {@code e/<tenant>/<thingId>} (reference/kanto-things.md §2.5): twin
 * {@code modify} and {@code delete} commands with headers exactly {@code {"response-required":false}}, and live
 * messages with a JSON content type. Publishing is asynchronous; a failure is logged once and not retried, because
 * the whole twin is published again after every reconnect.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final MessageTransport transport;

    Outbox(MessageTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    void modify(ThingIdentity thing, String path, JsonNode value) {
        publish(thing, new DittoEnvelope(DittoTopic.twinCommand(thing, "modify").text(), twinHeaders(), path,
                Optional.of(value), 0));
    }

    void delete(ThingIdentity thing, String path) {
        publish(thing, new DittoEnvelope(DittoTopic.twinCommand(thing, "delete").text(), twinHeaders(), path,
                Optional.empty(), 0));
    }

    void live(ThingIdentity thing, String featureId, String subject, JsonNode value) {
        Map<String, JsonNode> headers = new LinkedHashMap<>();
        headers.put("content-type", TextNode.valueOf("application/json"));
        headers.put("response-required", BooleanNode.FALSE);
        publish(thing, new DittoEnvelope(DittoTopic.liveMessage(thing, subject).text(), headers,
                "/features/" + featureId + "/outbox/messages/" + subject, Optional.of(value), 0));
    }

    private static Map<String, JsonNode> twinHeaders() {
        return Map.of("response-required", BooleanNode.FALSE);
    }

    private void publish(ThingIdentity thing, DittoEnvelope envelope) {
        String topic = MqttTopics.events(thing);
        LOG.debug("Publishing {} {}", envelope.topic().substring(envelope.topic().lastIndexOf('/') + 1),
                envelope.path());
        transport.publish(topic, DittoCodec.encode(envelope), false).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("Could not publish {} on {}: {}", envelope.path(), topic, failure.getMessage());
            }
        });
    }
}

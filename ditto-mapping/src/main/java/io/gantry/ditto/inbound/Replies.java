package io.gantry.ditto.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.ditto.protocol.DittoEnvelope;
import io.gantry.ditto.protocol.DittoError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The envelopes of command replies (reference/kanto-things.md §2.3–2.4). */
public final class Replies {

    /** Form B's topic: nothing of the request could be used. */
    public static final String UNKNOWN_TOPIC = "unknown/unknown/things/twin/errors";
    private static final JsonNode JSON_CONTENT = JsonNodeFactory.instance.textNode("application/json");

    private Replies() {
    }

    /** The outbox path an operation's reply carries: {@code /features/<f>/outbox/messages/<op>}. */
    public static String outboxPath(String featureId, String operation) {
        return "/features/" + featureId + "/outbox/messages/" + operation;
    }

    /** 200 with the result, or 204 without value and content type. */
    public static DittoEnvelope success(String requestTopic, String featureId, String operation, String correlationId,
                                        Optional<JsonNode> result) {
        Map<String, JsonNode> headers = new LinkedHashMap<>();
        result.ifPresent(r -> headers.put("content-type", JSON_CONTENT));
        headers.put("correlation-id", JsonNodeFactory.instance.textNode(correlationId));
        return new DittoEnvelope(requestTopic, headers, outboxPath(featureId, operation), result,
                result.isPresent() ? 200 : 204);
    }

    /** Forms A and C: the request's topic, the given path, the correlation id when there is one. */
    public static DittoEnvelope error(String topic, String path, Optional<String> correlationId, DittoError error) {
        Map<String, JsonNode> headers = new LinkedHashMap<>();
        headers.put("content-type", JSON_CONTENT);
        correlationId.filter(c -> !c.isEmpty())
                .ifPresent(c -> headers.put("correlation-id", JsonNodeFactory.instance.textNode(c)));
        return new DittoEnvelope(topic, headers, path, Optional.of(error.toJson()), error.status());
    }

    /** Form B: no usable envelope, so no correlation id. */
    public static DittoEnvelope unparsed(DittoError error) {
        return error(UNKNOWN_TOPIC, "/", Optional.empty(), error);
    }
}

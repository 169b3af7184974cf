package io.gantry.ditto.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.kanto.json.DescriptorException;
import io.gantry.kanto.json.JsonInput;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields of an inbound command envelope, read as leniently as Kanto reads them (keys in any case, {@code null}
 * as absent). {@code topic} and {@code path} are empty when absent; the caller checks them in Kanto's order.
 *
 * <p>Contract: {@link #read} throws only {@link DittoException} (400 {@code messages:parameter.invalid}): the payload
 * is not a JSON object, or its topic, path or headers have the wrong JSON type.
 */
public record InboundEnvelope(String topic, String path, JsonInput headers, Optional<JsonNode> value) {

    public InboundEnvelope {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(value, "value");
    }

    public static InboundEnvelope read(byte[] payload) {
        ObjectNode root = DittoCodec.readObject(payload);
        try {
            JsonInput envelope = JsonInput.of(root, "");
            String topic = envelope.field("topic").string("");
            String path = envelope.field("path").string("");
            JsonInput headers = envelope.field("headers").requireObject();
            JsonNode value = envelope.field("value").node();
            return new InboundEnvelope(topic, path, headers,
                    value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value));
        } catch (DescriptorException e) {
            throw new DittoException(DittoError.parameterInvalid(e.getMessage()), e);
        }
    }
}

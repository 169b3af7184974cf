package io.gantry.ditto.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Bytes to and from Ditto envelopes, as Jackson trees (key order as built, compact, UTF-8). */
public final class DittoCodec {

    /**
     * What Kanto publishes on {@code edge/thing/request}: a marshalled empty envelope, which the connector ignores
     * (kanto-things §1.2).
     */
    public static final byte[] THING_REQUEST = "{\"topic\":\"\",\"headers\":null,\"path\":\"\"}"
            .getBytes(StandardCharsets.UTF_8);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        // Inbound payloads are size-checked before parsing; nesting is bounded here so that no input can exhaust
        // the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private DittoCodec() {
    }

    public static byte[] encode(DittoEnvelope envelope) {
        return encode(envelope.toJson());
    }

    public static byte[] encode(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /**
     * Reads a payload that must be one JSON object.
     *
     * @throws DittoException with a 400 error saying why, when it is not
     */
    public static ObjectNode readObject(byte[] payload) {
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new DittoException(DittoError.parameterInvalid("not valid JSON: " + firstLine(e.getMessage())), e);
        }
        if (node == null || !node.isObject()) {
            throw new DittoException(DittoError.parameterInvalid("not a JSON object"));
        }
        return (ObjectNode) node;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int eol = message.indexOf('\n');
        return eol < 0 ? message : message.substring(0, eol);
    }
}

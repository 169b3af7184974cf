package io.gantry.update.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.gantry.kanto.json.JsonInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Optional;

/**
 * Reads and writes update-protocol messages.
 *
 * <p>Reading follows Go's {@code encoding/json} as Kanto uses it (§1.2): field names match case-insensitively,
 * unknown fields are ignored, a missing field is its zero value, and a value of the wrong JSON type is an error
 * (Jackson would otherwise turn {@code 5} into {@code "5"}). Unlike Kanto, which drops such a message silently, the
 * error says where the problem is and carries the activity id when it could be read.
 */
public final class UpdateCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> {
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            })
            .build();

    private UpdateCodec() {
    }

    /** An envelope as read: the activity id ({@code ""} when absent, as in Go) and the raw payload. */
    public record Inbound(String activityId, JsonNode payload) {
    }

    /** Writes an envelope; {@code payload} is one of the {@code Wire*} records. */
    public static byte[] encode(String activityId, long timestamp, Object payload) {
        try {
            return MAPPER.writeValueAsBytes(new WireEnvelope(activityId, timestamp, payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an update message: " + e.getOriginalMessage(), e);
        }
    }

    /** The mapper used for the wire records; tests read golden files with it. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads an envelope.
     *
     * @throws MalformedMessageException when the bytes are not a JSON object or the envelope fields have the wrong type
     */
    public static Inbound read(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedMessageException("the message is not JSON: " + firstLine(e), Optional.empty(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("the message is not a JSON object", Optional.empty(), null);
        }
        JsonNode id = field(root, "activityId");
        if (id != null && !id.isNull() && !id.isTextual()) {
            throw new MalformedMessageException("activityId must be a string", Optional.empty(), null);
        }
        Optional<String> activityId = Optional.of(id == null || id.isNull() ? "" : id.textValue());
        JsonNode timestamp = field(root, "timestamp");
        if (timestamp != null && !timestamp.isNull() && !(timestamp.isIntegralNumber() && timestamp.canConvertToLong())) {
            throw new MalformedMessageException("timestamp must be a whole number of milliseconds", activityId, null);
        }
        JsonNode payload = field(root, "payload");
        return new Inbound(activityId.get(), payload == null ? MAPPER.nullNode() : payload);
    }

    /** The payload as a desired state; a missing or null payload is an empty one (Go's zero value). */
    public static WireDesiredState desiredState(Inbound in) {
        WireDesiredState state = payload(in, WireDesiredState.class);
        return state == null ? WireDesiredState.EMPTY : state;
    }

    public static WireCommand command(Inbound in) {
        WireCommand command = payload(in, WireCommand.class);
        return command == null ? new WireCommand("", "") : command;
    }

    /** Reads any wire record from JSON text; for tests and tools. */
    public static <T> T readValue(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T payload(Inbound in, Class<T> type) {
        if (in.payload().isNull() || in.payload().isMissingNode()) {
            return null;
        }
        try {
            return MAPPER.treeToValue(in.payload(), type);
        } catch (JsonMappingException e) {
            throw new MalformedMessageException("payload" + path(e) + ": " + describe(e), Optional.of(in.activityId()), e);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("payload: " + firstLine(e), Optional.of(in.activityId()), e);
        }
    }

    /** The member {@code name}, matched as Go does (case-insensitively, an exact match first); null when absent. */
    private static JsonNode field(JsonNode object, String name) {
        JsonInput value = JsonInput.of(object, "").field(name);
        return value.isAbsent() ? null : value.node();
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** What the wire expected where the mapping failed, in wire words: Jackson's own would name our Java types. */
    private static String describe(JsonMappingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            if (target == String.class) {
                return "expected a string";
            }
            if (Collection.class.isAssignableFrom(target) || target.isArray()) {
                return "expected an array";
            }
            if (target.isRecord()) {
                // a number, boolean, string or array where one of the Wire* objects belongs
                return "expected an object";
            }
        }
        String message = firstLine(e);
        if (message.contains("NullPointerException")) {
            return "an array element is null";
        }
        return message;
    }

    private static String firstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String firstLine(IOException e) {
        return e instanceof JsonProcessingException jpe ? firstLine(jpe) : String.valueOf(e.getMessage());
    }
}

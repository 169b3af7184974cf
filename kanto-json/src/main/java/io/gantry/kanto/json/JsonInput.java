package io.gantry.kanto.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One value of an inbound JSON document, read as leniently as Kanto's Go decoder reads it: object keys match
 * case-insensitively (an exact match wins), unknown keys are ignored, and {@code null} or an absent key means "not
 * given". A value of the wrong JSON type is refused with a {@link DescriptorException} naming its path.
 */
public final class JsonInput {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonNode node;
    private final String path;

    private JsonInput(JsonNode node, String path) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
    }

    /**
     * Parses a whole document: one JSON value and nothing after it. Empty content gives {@code null} or a missing
     * node, which the caller names as it sees fit.
     *
     * @throws DescriptorException {@link DescriptorException.Kind#WRONG_TYPE} when the bytes are not JSON, naming
     *     the line and column
     */
    public static JsonNode read(byte[] json) {
        try {
            return STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new DescriptorException(DescriptorException.Kind.WRONG_TYPE, "",
                    "not valid JSON: " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new DescriptorException(DescriptorException.Kind.WRONG_TYPE, "", "cannot be read: " + e, e);
        }
    }

    /** Reads {@code node} (which may be {@code null}) as the document at {@code path} ("" for the root). */
    public static JsonInput of(JsonNode node, String path) {
        return new JsonInput(node, path);
    }

    public String path() {
        return path;
    }

    public JsonNode node() {
        return node;
    }

    /** True when the value is absent or JSON {@code null}. */
    public boolean isAbsent() {
        return node.isMissingNode() || node.isNull();
    }

    /** The member {@code name} of this object (absent if this is absent); fails if this is not an object. */
    public JsonInput field(String name) {
        String childPath = path.isEmpty() ? name : path + "." + name;
        if (isAbsent()) {
            return new JsonInput(null, childPath);
        }
        requireObject();
        return new JsonInput(key(node, name).map(node::get).orElse(null), childPath);
    }

    /**
     * The key of {@code object} that Go's decoder takes for {@code name}: the exact one, else one that differs only
     * in case.
     */
    public static Optional<String> key(JsonNode object, String name) {
        if (object.has(name)) {
            return Optional.of(name);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String candidate = names.next();
            if (candidate.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Checks that this is an object (or absent). */
    public JsonInput requireObject() {
        if (!isAbsent() && !node.isObject()) {
            throw wrongType("an object");
        }
        return this;
    }

    public Optional<String> string() {
        if (isAbsent()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw wrongType("a string");
        }
        return Optional.of(node.textValue());
    }

    public String string(String absent) {
        return string().orElse(absent);
    }

    public Optional<Boolean> bool() {
        if (isAbsent()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw wrongType("true or false");
        }
        return Optional.of(node.booleanValue());
    }

    public boolean bool(boolean absent) {
        return bool().orElse(absent);
    }

    /** A whole number; a fraction is refused as Go refuses it for an integer field. */
    public OptionalLong integer() {
        if (isAbsent()) {
            return OptionalLong.empty();
        }
        if (!node.isNumber()) {
            throw wrongType("a whole number");
        }
        BigDecimal value = node.decimalValue();
        try {
            return OptionalLong.of(value.longValueExact());
        } catch (ArithmeticException e) {
            throw wrongType("a whole number");
        }
    }

    /** A whole number from {@code min} to {@code max}; outside that range the JSON cannot be read (400 in Kanto). */
    public OptionalLong integer(long min, long max, String expected) {
        OptionalLong value = integer();
        if (value.isPresent() && (value.getAsLong() < min || value.getAsLong() > max)) {
            throw wrongType(expected);
        }
        return value;
    }

    public Optional<BigDecimal> number() {
        if (isAbsent()) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw wrongType("a number");
        }
        return Optional.of(node.decimalValue());
    }

    /** The elements of an array; absent means none. */
    public List<JsonInput> elements() {
        if (isAbsent()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType("an array");
        }
        List<JsonInput> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(new JsonInput(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    /** An array of strings; a {@code null} element is refused. */
    public List<String> strings() {
        List<String> out = new ArrayList<>();
        for (JsonInput element : elements()) {
            if (element.isAbsent()) {
                throw element.wrongType("a string");
            }
            out.add(element.string().orElseThrow());
        }
        return out;
    }

    /** An object whose values are all strings, in document order. */
    public Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        if (isAbsent()) {
            return out;
        }
        requireObject();
        node.properties().forEach(e -> out.put(e.getKey(),
                new JsonInput(e.getValue(), path + "." + e.getKey()).string().orElse("")));
        return out;
    }

    /** Builds a value; an {@link IllegalArgumentException} from its constructor is reported at this path. */
    public <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (DescriptorException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(DescriptorException.Kind.INVALID_VALUE, path, e.getMessage(), e);
        }
    }

    /** This value was read but is not acceptable. */
    public DescriptorException invalid(String problem) {
        return new DescriptorException(DescriptorException.Kind.INVALID_VALUE, path, problem, null);
    }

    /** This value has a JSON type the format cannot read. */
    public DescriptorException wrongType(String expected) {
        return new DescriptorException(DescriptorException.Kind.WRONG_TYPE, path,
                "expected " + expected + ", got " + describe(node), null);
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "the string \"" + value.textValue() + "\"";
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.toString();
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        return "null";
    }
}

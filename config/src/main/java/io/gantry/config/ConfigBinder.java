package io.gantry.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON tree over the defaults into the configuration records: a missing key keeps its default, an array
 * replaces the default array, a map's entries start from the entry record's {@code DEFAULTS}. It checks JSON types
 * and the forms of durations and sizes, and reports unknown keys; what the values mean is {@link ConfigRules}' job.
 * A key that cannot be read keeps its default, so that every other key is still read and checked.
 */
final class ConfigBinder {

    private final Problems problems;

    ConfigBinder(Problems problems) {
        this.problems = problems;
    }

    AgentConfig bind(JsonNode root) {
        return (AgentConfig) record(root, AgentConfig.class, AgentConfig.DEFAULTS, "");
    }

    private Object value(JsonNode node, Type type, Object defaults, String path) {
        Class<?> raw = ConfigTree.rawType(type);
        if (raw == String.class) {
            return node.isTextual() ? node.textValue() : wrongType(path, "a string", node, defaults);
        }
        if (raw == Secret.class) {
            // The value is never echoed: a password typed as a number must not land in a log line.
            return node.isTextual() ? Secret.of(node.textValue()) : wrongType(path, "a string", kind(node), defaults);
        }
        if (raw == boolean.class) {
            return node.isBoolean() ? node.booleanValue() : wrongType(path, "true or false", node, defaults);
        }
        if (raw == int.class) {
            return wholeNumber(node, path, defaults);
        }
        if (raw == Duration.class) {
            return duration(node, path, defaults);
        }
        if (raw == ByteSize.class) {
            return size(node, path, defaults);
        }
        if (raw == Path.class) {
            return path(node, path, defaults);
        }
        if (raw == List.class) {
            return strings(node, path, defaults);
        }
        if (raw == Map.class) {
            return map(node, ConfigTree.rawType(ConfigTree.typeArgument(type, 1)), path, defaults);
        }
        if (ConfigTree.isSection(type)) {
            return record(node, raw, defaults, path);
        }
        throw new IllegalStateException("no JSON form for " + type + " at " + path);
    }

    private Object record(JsonNode node, Class<?> type, Object defaults, String path) {
        if (!node.isObject()) {
            return wrongType(path, "an object", node, defaults);
        }
        List<ConfigTree.Key> keys = ConfigTree.keys(type);
        Set<String> known = new LinkedHashSet<>();
        keys.forEach(k -> known.add(k.name()));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(ConfigTree.child(path, name), KeySuggestions.unknownKey(path, name, known));
            }
        }
        Object[] args = new Object[keys.size()];
        Class<?>[] types = new Class<?>[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            ConfigTree.Key key = keys.get(i);
            Object fallback = key.valueIn(defaults);
            JsonNode child = node.get(key.name());
            args[i] = child == null ? fallback : value(child, key.type(), fallback, ConfigTree.child(path, key.name()));
            types[i] = key.component().getType();
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            problems.add(path, e.getCause().getMessage());
            return defaults;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private Object map(JsonNode node, Class<?> entryType, String path, Object defaults) {
        if (!node.isObject()) {
            return wrongType(path, "an object", node, defaults);
        }
        Object entryDefaults = ConfigTree.defaultsOf(entryType);
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> out.put(field.getKey(),
                record(field.getValue(), entryType, entryDefaults, ConfigTree.entry(path, field.getKey()))));
        return out;
    }

    private Object strings(JsonNode node, String path, Object defaults) {
        if (!node.isArray()) {
            return wrongType(path, "an array of strings", node, defaults);
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (element.isTextual()) {
                out.add(element.textValue());
            } else {
                wrongType(ConfigTree.element(path, i), "a string", element, null);
                ok = false;
            }
        }
        return ok ? out : defaults;
    }

    private Object wholeNumber(JsonNode node, String path, Object defaults) {
        if (!node.isIntegralNumber()) {
            return wrongType(path, "a whole number", node, defaults);
        }
        if (!node.canConvertToInt()) {
            problems.add(path, node.asText() + " is too large");
            return defaults;
        }
        if (node.intValue() < 0) {
            problems.add(path, node.intValue() + " is negative; expected 0 or more");
            return defaults;
        }
        return node.intValue();
    }

    private Object duration(JsonNode node, String path, Object defaults) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.trim().startsWith("-")) {
                problems.add(path, "\"" + text + "\" is negative; a duration is 0 or more");
                return defaults;
            }
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(path, e.getMessage());
                return defaults;
            }
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong() || node.longValue() > Long.MAX_VALUE / 1_000_000_000L) {
                problems.add(path, node.asText() + " seconds is too long a duration");
                return defaults;
            }
            if (node.longValue() < 0) {
                problems.add(path, node.asText() + " is negative; a duration is 0 or more");
                return defaults;
            }
            return Duration.ofSeconds(node.longValue());
        }
        if (node.isNumber()) {
            problems.add(path, node.asText() + " is not a whole number of seconds (write it with a unit, e.g. \""
                    + node.decimalValue().stripTrailingZeros().toPlainString() + "s\")");
            return defaults;
        }
        return wrongType(path, "a duration (e.g. \"20s\", \"1m\" or a number of seconds)", node, defaults);
    }

    private Object size(JsonNode node, String path, Object defaults) {
        if (node.isTextual()) {
            try {
                return ByteSize.parse(node.textValue());
            } catch (IllegalArgumentException e) {
                problems.add(path, e.getMessage());
                return defaults;
            }
        }
        if (node.isNumber()) {
            problems.add(path, "a size needs a unit: write \"" + node.asText() + "k\", \"" + node.asText()
                    + "m\" or \"" + node.asText() + "b\" (a bare number is ambiguous)");
            return defaults;
        }
        return wrongType(path, "a size (e.g. \"512m\", \"1g\")", node, defaults);
    }

    private Object path(JsonNode node, String path, Object defaults) {
        if (!node.isTextual()) {
            return wrongType(path, "a path (a string)", node, defaults);
        }
        try {
            return Path.of(node.textValue());
        } catch (InvalidPathException e) {
            problems.add(path, "\"" + node.textValue() + "\" is not a path: " + e.getReason());
            return defaults;
        }
    }

    private Object wrongType(String path, String expected, JsonNode actual, Object defaults) {
        return wrongType(path, expected, describe(actual), defaults);
    }

    private Object wrongType(String path, String expected, String actual, Object defaults) {
        problems.add(path, "expected " + expected + ", got " + actual);
        return defaults;
    }

    /** {@code a number (5)}, {@code a string ("x")}, {@code true}, {@code null}, {@code an array}. */
    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "a string (\"" + node.textValue() + "\")";
        }
        if (node.isNumber()) {
            return "a number (" + node.asText() + ")";
        }
        if (node.isBoolean() || node.isNull()) {
            return node.asText();
        }
        return kind(node);
    }

    /** The JSON type alone, without the value. */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

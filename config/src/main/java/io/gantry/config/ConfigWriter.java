package io.gantry.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Writes a configuration as the JSON file it could have been read from: every key, in the order of the records,
 * durations and sizes in the forms an operator types. Passwords are written as {@code "****"} (an unset one as
 * {@code ""}), so the output can go to a log or a terminal.
 */
public final class ConfigWriter {

    /** What a password is shown as. */
    public static final String REDACTED = "****";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ConfigWriter() {
    }

    /** The configuration with its secrets replaced by {@code "****"}: the startup summary. */
    public static String redacted(AgentConfig config) {
        return pretty(tree(config));
    }

    /** The complete default file, every key with its default ({@code gantry config defaults}). */
    public static String defaults() {
        return redacted(AgentConfig.DEFAULTS);
    }

    /** The configuration as a JSON tree, secrets redacted. */
    public static ObjectNode tree(AgentConfig config) {
        return (ObjectNode) node(config);
    }

    private static JsonNode node(Object value) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (value instanceof Secret secret) {
            return json.textNode(secret.isEmpty() ? "" : REDACTED);
        }
        if (value instanceof Duration duration) {
            return json.textNode(Durations.format(duration));
        }
        if (value instanceof ByteSize size) {
            return json.textNode(size.format());
        }
        if (value instanceof String || value instanceof Path) {
            return json.textNode(value.toString());
        }
        if (value instanceof Boolean b) {
            return json.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return json.numberNode(i);
        }
        if (value instanceof List<?> list) {
            ArrayNode array = json.arrayNode();
            list.forEach(element -> array.add(node(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = json.objectNode();
            map.forEach((key, entry) -> object.set(key.toString(), node(entry)));
            return object;
        }
        if (value != null && value.getClass().isRecord()) {
            ObjectNode object = json.objectNode();
            for (ConfigTree.Key key : ConfigTree.keys(value.getClass())) {
                object.set(key.name(), node(key.valueIn(value)));
            }
            return object;
        }
        throw new IllegalStateException("no JSON form for " + value);
    }

    private static String pretty(JsonNode tree) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}

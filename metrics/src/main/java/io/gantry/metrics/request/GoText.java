package io.gantry.metrics.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.metrics.snapshot.GoNumbers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Go's text forms that appear in Kanto's error messages: {@code fmt}'s {@code %v} of a value decoded from JSON into
 * {@code interface{}} ({@code strconv.Quote} is {@link io.gantry.config.GoDuration}'s, the one place that needs it).
 */
final class GoText {

    private GoText() {
    }

    /** {@code fmt.Sprintf("%v", v)} of a JSON value as Go's {@code encoding/json} decodes it into {@code interface{}}. */
    static String value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "<nil>";
        }
        if (node.isBoolean()) {
            return Boolean.toString(node.booleanValue());
        }
        if (node.isNumber()) {
            return GoNumbers.formatG(node.doubleValue());
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(value(item)));
            return "[" + String.join(" ", items) + "]";
        }
        // fmt prints a map's keys in sorted order
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        List<String> entries = new ArrayList<>();
        for (String key : keys) {
            entries.add(key + ":" + value(node.get(key)));
        }
        return "map[" + String.join(" ", entries) + "]";
    }

    /** The JSON kind as {@code encoding/json}'s {@code UnmarshalTypeError} names it. */
    static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isArray()) {
            return "array";
        }
        return "object";
    }

    /**
     * The field of {@code object} named {@code name}, matched as {@code encoding/json} does: keys are compared
     * ignoring case and a later key overwrites an earlier one; {@code null} when there is none.
     */
    static JsonNode field(JsonNode object, String name) {
        JsonNode found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                found = e.getValue();
            }
        }
        return found;
    }
}

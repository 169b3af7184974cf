package io.gantry.ditto.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Ditto protocol message as Gantry sends it (reference/kanto-things.md §2.1): {@code topic}, {@code headers},
 * {@code path}, then {@code value} (left out when absent; a JSON {@code null} value is written) and {@code status}
 * (left out when 0). Header order is kept as given.
 */
public record DittoEnvelope(String topic, Map<String, JsonNode> headers, String path, Optional<JsonNode> value,
                            int status) {

    public DittoEnvelope {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("topic", topic);
        ObjectNode h = json.putObject("headers");
        headers.forEach(h::set);
        json.put("path", path);
        value.ifPresent(v -> json.set("value", v));
        if (status != 0) {
            json.put("status", status);
        }
        return json;
    }
}

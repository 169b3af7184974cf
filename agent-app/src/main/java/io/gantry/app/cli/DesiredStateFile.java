package io.gantry.app.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.kanto.json.JsonInput;
import io.gantry.update.protocol.DesiredStateMapper;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.protocol.ConfigKey;
import io.gantry.update.protocol.MalformedMessageException;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WireComponent;
import io.gantry.update.protocol.WireDesiredState;
import io.gantry.update.protocol.WireDomain;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A desired state as {@code gantry apply -f FILE} reads it, in one of three shapes:
 * <ul>
 * <li>a whole envelope, {@code {"activityId": …, "timestamp": …, "payload": {"domains": […]}}};</li>
 * <li>a bare payload, {@code {"domains": […], "baselines": […]}};</li>
 * <li>a list of containers, wrapped into the configured domain. Each is Kanto's component form,
 * {@code {"id": "web", "version": "2", "config": [{"key": "image", "value": "…"}]}}, or the object form,
 * {@code {"id": "web", "version": "2", "image": "…", "port": ["8080:80"], "memory": "64M"}}, whose keys are the
 * component config keys (a list of values for {@code env}, {@code cmd}, {@code port}, {@code device},
 * {@code mount} and {@code host}; numbers and booleans for any value).</li>
 * </ul>
 * A missing activity id is generated and a missing timestamp set. The result is checked exactly as the update agent
 * checks it (the same codec and mapper), so a mistake is reported with its JSON path in the file before anything is
 * sent.
 */
final class DesiredStateFile {

    /** The envelope to publish and what it holds. */
    record Prepared(String activityId, byte[] envelope, WireDesiredState desired) {
    }

    private static final String COMPONENTS_IN_ENVELOPE = "payload.domains[0].components";

    private DesiredStateFile() {
    }

    /**
     * Reads, completes and checks a desired state.
     *
     * @param source        the file name, for messages
     * @param newActivityId makes an activity id when the file has none
     * @param now           the timestamp to set when the file has none (Unix milliseconds)
     * @throws DesiredStateException naming {@code source} and the JSON path of the first problem
     */
    static Prepared prepare(String source, byte[] content, UpdateTopics topics, Supplier<String> newActivityId,
                            long now) {
        JsonNode root = parse(source, content);
        ObjectNode envelope;
        UnaryOperator<String> where;
        if (root.isArray()) {
            envelope = wrap(payloadOf(source, (ArrayNode) root, topics));
            where = path -> path.startsWith(COMPONENTS_IN_ENVELOPE) ? path.substring(COMPONENTS_IN_ENVELOPE.length())
                    : "";
        } else if (!root.isObject()) {
            throw new DesiredStateException(source, "", "expected a JSON object or list, not " + kind(root), null);
        } else if (field(root, "payload").isPresent()) {
            envelope = (ObjectNode) root;
            where = UnaryOperator.identity();
        } else if (field(root, "domains").isPresent() || field(root, "baselines").isPresent()) {
            envelope = wrap(root);
            where = path -> path.startsWith("payload.") ? path.substring("payload.".length()) : "";
        } else {
            throw new DesiredStateException(source, "", "not a desired state: expected an envelope {\"activityId\","
                    + " \"payload\": {\"domains\": [...]}}, a payload {\"domains\": [...]}, or a list of containers",
                    null);
        }
        String activityId = complete(envelope, newActivityId, now);
        byte[] bytes = envelope.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        WireDesiredState desired;
        try {
            desired = UpdateCodec.desiredState(UpdateCodec.read(bytes));
        } catch (MalformedMessageException e) {
            // The codec's messages start with the path in the envelope: "payload.domains[0].id: expected a string".
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            boolean located = colon > 0 && !message.substring(0, colon).contains(" ");
            throw new DesiredStateException(source, located ? where.apply(message.substring(0, colon)) : "",
                    located ? message.substring(colon + 2) : message, e);
        }
        try {
            DesiredStateMapper.from(desired, topics);
        } catch (IdentificationException e) {
            throw new DesiredStateException(source, where.apply(locate(desired, topics)), e.getMessage(), e);
        }
        return new Prepared(activityId, bytes, desired);
    }

    private static JsonNode parse(String source, byte[] content) {
        JsonNode root;
        try {
            root = UpdateCodec.mapper().readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().lines()
                    .findFirst().orElse("");
            throw new DesiredStateException(source, "", "not JSON: " + message
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        } catch (java.io.IOException e) {
            throw new DesiredStateException(source, "", "cannot read it: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new DesiredStateException(source, "", "the file is empty", null);
        }
        return root;
    }

    private static ObjectNode wrap(JsonNode payload) {
        ObjectNode envelope = UpdateCodec.mapper().createObjectNode();
        envelope.set("payload", payload);
        return envelope;
    }

    /** Sets the activity id and the timestamp when they are absent; returns the activity id. */
    private static String complete(ObjectNode envelope, Supplier<String> newActivityId, long now) {
        Optional<String> idField = fieldName(envelope, "activityId");
        JsonNode id = idField.map(envelope::get).orElse(null);
        String activityId;
        if (id == null || id.isNull() || (id.isTextual() && id.textValue().isEmpty())) {
            activityId = newActivityId.get();
            envelope.put(idField.orElse("activityId"), activityId);
        } else {
            // Not text: the codec says so below, with the envelope's own words.
            activityId = id.asText();
        }
        if (fieldName(envelope, "timestamp").isEmpty()) {
            envelope.put("timestamp", now);
        }
        return activityId;
    }

    /** The payload for a list of containers: one domain, the configured one, holding them all. */
    private static ObjectNode payloadOf(String source, ArrayNode list, UpdateTopics topics) {
        ArrayNode components = UpdateCodec.mapper().createArrayNode();
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            if (!element.isObject()) {
                throw new DesiredStateException(source, "[" + i + "]", "expected a container, an object such as"
                        + " {\"id\": \"web\", \"image\": \"nginx:1.25\"}, not " + kind(element), null);
            }
            components.add(field(element, "config").isPresent() ? element : component(source, i, element));
        }
        ObjectNode payload = UpdateCodec.mapper().createObjectNode();
        ObjectNode domain = payload.putArray("domains").addObject();
        domain.put("id", topics.domain());
        domain.set("components", components);
        return payload;
    }

    /** The object form of a container as Kanto's component form: every key but id and version becomes config. */
    private static ObjectNode component(String source, int index, JsonNode element) {
        ObjectNode component = UpdateCodec.mapper().createObjectNode();
        ArrayNode config = UpdateCodec.mapper().createArrayNode();
        Iterator<Map.Entry<String, JsonNode>> fields = element.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String path = "[" + index + "]." + key;
            if (key.equals("id") || key.equals("name") || key.equals("version")) {
                String target = key.equals("version") ? "version" : "id";
                if (component.has(target)) {
                    throw new DesiredStateException(source, path, "give the container's name once, as id or name",
                            null);
                }
                component.put(target, scalar(source, path, value));
                continue;
            }
            ConfigKey configKey = ConfigKey.forName(key).filter(ConfigKey::settable).orElseThrow(() ->
                    new DesiredStateException(source, path, unknownKey(key), null));
            if (value.isArray()) {
                if (!configKey.repeatable()) {
                    throw new DesiredStateException(source, path, key + " takes one value, not a list", null);
                }
                for (int i = 0; i < value.size(); i++) {
                    config.addObject().put("key", key).put("value", scalar(source, path + "[" + i + "]",
                            value.get(i)));
                }
            } else {
                config.addObject().put("key", key).put("value", scalar(source, path, value));
            }
        }
        if (!component.has("id")) {
            throw new DesiredStateException(source, "[" + index + "]", "the container has no id (its name)", null);
        }
        component.set("config", config);
        return component;
    }

    private static String scalar(String source, String path, JsonNode value) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw new DesiredStateException(source, path, "expected a string, number or boolean, not " + kind(value),
                null);
    }

    /** An unknown key of the object form, with the key that was probably meant ({@code ports} → {@code port}). */
    static String unknownKey(String key) {
        List<String> settable = Arrays.stream(ConfigKey.values()).filter(ConfigKey::settable)
                .map(ConfigKey::wireName).toList();
        String lower = key.toLowerCase(Locale.ROOT);
        for (String known : settable) {
            String k = known.toLowerCase(Locale.ROOT);
            if (k.equals(lower) || (k + "s").equals(lower) || (k + "es").equals(lower)) {
                return "unknown key (did you mean " + known + "?)";
            }
        }
        return "unknown key (expected id, name, version or one of " + String.join(", ", settable) + ")";
    }

    /**
     * Where in the envelope the agent's identification failure lies: the domains, the domain id, the first
     * component that fails (checked one more at a time, which also finds a repeated id), else the baselines.
     */
    private static String locate(WireDesiredState desired, UpdateTopics topics) {
        if (desired.domains().size() != 1) {
            return "payload.domains";
        }
        WireDomain domain = desired.domains().get(0);
        if (!domain.id().equals(topics.domain())) {
            return "payload.domains[0].id";
        }
        List<WireComponent> components = domain.components();
        for (int i = 0; i < components.size(); i++) {
            WireDesiredState upTo = new WireDesiredState(List.of(), List.of(new WireDomain(domain.id(), List.of(),
                    components.subList(0, i + 1))));
            try {
                DesiredStateMapper.from(upTo, topics);
            } catch (IdentificationException e) {
                return COMPONENTS_IN_ENVELOPE + "[" + i + "]";
            }
        }
        return "payload.baselines";
    }

    /** Go's field lookup, as the agent reads envelopes (§1.2). */
    private static Optional<String> fieldName(JsonNode object, String name) {
        return JsonInput.key(object, name);
    }

    private static Optional<JsonNode> field(JsonNode object, String name) {
        return fieldName(object, name).map(object::get);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}

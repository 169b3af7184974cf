package io.gantry.ditto.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who the twin is: the gateway's device id, tenant and policy as the cloud connector announces them on
 * {@code edge/thing/response}, and what follows from them (reference/kanto-things.md §1.4).
 *
 * <p>The thing id is {@code <deviceId>:edge:containers}. Its Ditto namespace is the device id up to the first
 * {@code :}; the rest of the thing id is the Ditto name, so {@code a:b:c} gives topic prefix
 * {@code a/b:c:edge:containers}. A device id without a colon is read as a namespace with an empty name, so
 * {@code abc} gives thing {@code abc::edge:containers}, as in Kanto. The tenant is used only in the publish topic
 * {@code e/<tenant>/<thingId>}; the policy only to notice a change.
 */
public record ThingIdentity(String deviceId, String tenantId, String policyId) {

    /** Kanto's {@code containersThingName}. */
    public static final String THING_SUFFIX = "edge:containers";

    /**
     * Ditto's thing id (its {@code RegexPatterns.ID_REGEX}): a namespace of dot- or dash-separated words that start
     * with a letter, a colon, and a name without control characters (Ditto counts U+007F–U+00FF among them) or
     * slashes. Gantry wants the namespace non-empty: an empty one would make an empty topic level.
     */
    private static final Pattern DITTO_THING_ID =
            Pattern.compile("[a-zA-Z]\\w*+(?:[.-][a-zA-Z]\\w*+)*+:[^\\x00-\\x1F\\x7F-\\xFF/]++");
    /** MQTT's limit for a topic (MQTT 3.1.1 §1.5.3, 5.0 §1.5.4), in UTF-8 bytes. */
    private static final int MQTT_MAX_TOPIC_BYTES = 65_535;
    /** What {@link MqttTopics} adds to the thing id and tenant at most ({@code command//} and {@code /req/#}). */
    private static final int TOPIC_FRAME_BYTES = 16;

    /**
     * @throws IllegalArgumentException when the ids cannot form a Ditto thing id or the MQTT topics built from them,
     *                                  saying which id and why (the id itself shortened and escaped)
     */
    public ThingIdentity {
        Objects.requireNonNull(policyId, "policyId");
        if (deviceId == null || deviceId.isEmpty()) {
            throw new IllegalArgumentException("the device id is empty");
        }
        requireTopicSafe("device id", deviceId);
        Objects.requireNonNull(tenantId, "tenantId");
        requireTopicSafe("tenant id", tenantId);
        String thingId = namespaceOf(deviceId) + ":" + nameOf(deviceId);
        if (!DITTO_THING_ID.matcher(thingId).matches()) {
            throw new IllegalArgumentException("the device id " + shown(deviceId) + " does not make a Ditto thing id"
                    + " (<namespace>:<name>: the namespace words of letters, digits and _ that start with a letter,"
                    + " joined by . or -; the name without control characters or /)");
        }
        long bytes = utf8Length(thingId) + utf8Length(tenantId) + TOPIC_FRAME_BYTES;
        if (bytes > MQTT_MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("the device id and tenant id make MQTT topics of up to " + bytes
                    + " bytes, more than MQTT's " + MQTT_MAX_TOPIC_BYTES);
        }
    }

    /** Both ids end up in MQTT topics, where these characters would change the meaning. */
    private static void requireTopicSafe(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("the " + what + " " + shown(value) + " contains "
                        + (Character.isISOControl(c) ? String.format("control character U+%04X", (int) c)
                        : "'" + c + "'"));
            }
        }
    }

    /** An id for a message: at most 64 characters, control characters escaped, so a hostile id cannot flood a log. */
    private static String shown(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(value.codePointCount(0, value.length()) > 64 ? "…\" (" + value.length() + " characters)"
                : "\"").toString();
    }

    private static long utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String namespaceOf(String deviceId) {
        int colon = deviceId.indexOf(':');
        return colon < 0 ? deviceId : deviceId.substring(0, colon);
    }

    private static String nameOf(String deviceId) {
        int colon = deviceId.indexOf(':');
        String deviceName = colon < 0 ? "" : deviceId.substring(colon + 1);
        return deviceName + ":" + THING_SUFFIX;
    }

    public String namespace() {
        return namespaceOf(deviceId);
    }

    /** The Ditto name of the thing: everything of the thing id after the namespace and its colon. */
    public String thingName() {
        return nameOf(deviceId);
    }

    public String thingId() {
        return namespace() + ":" + thingName();
    }

    /** The first two segments of every Ditto topic for this thing: {@code <namespace>/<name>}. */
    public String topicPrefix() {
        return namespace() + "/" + thingName();
    }

    /** True when both are the same thing in the same tenant: only the policy may differ. */
    public boolean sameThing(ThingIdentity other) {
        return deviceId.equals(other.deviceId) && tenantId.equals(other.tenantId);
    }
}

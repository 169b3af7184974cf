package io.gantry.ditto.protocol;

import java.util.Objects;

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

    public ThingIdentity {
        Objects.requireNonNull(policyId, "policyId");
        if (deviceId == null || deviceId.isEmpty()) {
            throw new IllegalArgumentException("the device id is empty");
        }
        requireTopicSafe("device id", deviceId);
        Objects.requireNonNull(tenantId, "tenantId");
        requireTopicSafe("tenant id", tenantId);
    }

    /** Both ids end up in MQTT topics, where these characters would change the meaning. */
    private static void requireTopicSafe(String what, String value) {
        for (char c : new char[] {'/', '+', '#', '\0'}) {
            if (value.indexOf(c) >= 0) {
                throw new IllegalArgumentException("the " + what + " \"" + value + "\" contains '" + c + "'");
            }
        }
    }

    public String namespace() {
        int colon = deviceId.indexOf(':');
        return colon < 0 ? deviceId : deviceId.substring(0, colon);
    }

    /** The Ditto name of the thing: everything of the thing id after the namespace and its colon. */
    public String thingName() {
        int colon = deviceId.indexOf(':');
        String deviceName = colon < 0 ? "" : deviceId.substring(colon + 1);
        return deviceName + ":" + THING_SUFFIX;
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

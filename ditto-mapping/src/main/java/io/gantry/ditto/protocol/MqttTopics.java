package io.gantry.ditto.protocol;

/** The MQTT topics of the twin (reference/kanto-things.md §1.2). */
public final class MqttTopics {

    /** The cloud connector answers here with the device id, tenant and policy. */
    public static final String THING_RESPONSE = "edge/thing/response";
    /** Published to ask the connector for {@link #THING_RESPONSE}. */
    public static final String THING_REQUEST = "edge/thing/request";

    private MqttTopics() {
    }

    /** Where twin commands and live messages go: {@code e/<tenant>/<thingId>}. */
    public static String events(ThingIdentity thing) {
        return "e/" + thing.tenantId() + "/" + thing.thingId();
    }

    /** The subscription for cloud commands: {@code command//<thingId>/req/#}. */
    public static String commands(ThingIdentity thing) {
        return "command//" + thing.thingId() + "/req/#";
    }
}

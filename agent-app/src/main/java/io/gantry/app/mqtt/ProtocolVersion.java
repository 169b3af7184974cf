package io.gantry.app.mqtt;

/** The MQTT protocol version spoken to the broker ({@code connection.protocol_version}); 3.1.1 as Kanto by default. */
enum ProtocolVersion {
    MQTT_3_1_1("3.1.1"),
    MQTT_5("5");

    private final String wireName;

    ProtocolVersion(String wireName) {
        this.wireName = wireName;
    }

    /**
     * Reads {@code 3.1.1} or {@code 5} ({@code 5.0} is accepted too).
     *
     * @throws IllegalArgumentException for any other value
     */
    static ProtocolVersion forName(String name) {
        String text = name == null ? "" : name.trim();
        if (text.equals("3.1.1")) {
            return MQTT_3_1_1;
        }
        if (text.equals("5") || text.equals("5.0")) {
            return MQTT_5;
        }
        throw new IllegalArgumentException("\"" + name + "\" is not an MQTT protocol version (3.1.1 or 5)");
    }

    @Override
    public String toString() {
        return "MQTT " + wireName;
    }
}

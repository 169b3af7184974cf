package io.gantry.config;

import java.util.List;
import java.util.Objects;

/**
 * The Ditto digital twin. {@code features} selects which features exist ({@code ContainerFactory},
 * {@code SoftwareUpdatable}, {@code Metrics}: Kanto's, the default; and Gantry's own {@code Gantry}, only when
 * listed). With a static {@code device_id} (and {@code tenant_id}) the twin
 * starts without waiting for a cloud connector's {@code edge/thing/response}. When a message on
 * {@code bridge_state_topic} says a bridge to the cloud is connected again ({@code 1} after {@code 0}), the whole twin
 * is published again; {@code ""} turns this off.
 */
public record ThingsConfig(boolean enable, List<String> features, String deviceId, String tenantId,
                           String bridgeStateTopic) {

    /** The feature ids, defined here once: the twin's {@code FeatureIds} names them too. */
    public static final String CONTAINER_FACTORY_FEATURE = "ContainerFactory";
    public static final String SOFTWARE_UPDATABLE_FEATURE = "SoftwareUpdatable";
    public static final String METRICS_FEATURE = "Metrics";
    /** Gantry's own feature (docs/twin.md, "Gantry"): not Kanto's, so a twin has it only when it is listed. */
    public static final String GANTRY_FEATURE = "Gantry";
    /** Kanto's features, the default list. */
    public static final List<String> ALL_FEATURES = List.of(CONTAINER_FACTORY_FEATURE, SOFTWARE_UPDATABLE_FEATURE,
            METRICS_FEATURE);
    /** Every feature that may be listed. */
    public static final List<String> KNOWN_FEATURES = List.of(CONTAINER_FACTORY_FEATURE, SOFTWARE_UPDATABLE_FEATURE,
            METRICS_FEATURE, GANTRY_FEATURE);
    /** Where Mosquitto publishes every bridge's state with {@code notifications true} and no notification_topic. */
    public static final String MOSQUITTO_BRIDGE_STATES = "$SYS/broker/connection/+/state";
    public static final ThingsConfig DEFAULTS = new ThingsConfig(true, ALL_FEATURES, "", "", MOSQUITTO_BRIDGE_STATES);

    public ThingsConfig {
        features = List.copyOf(features);
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(bridgeStateTopic, "bridgeStateTopic");
    }

    /** The same settings without the bridge-state topic: the twin's tests and static-device callers. */
    public ThingsConfig(boolean enable, List<String> features, String deviceId, String tenantId) {
        this(enable, features, deviceId, tenantId, MOSQUITTO_BRIDGE_STATES);
    }
}

package io.gantry.config;

import java.util.List;
import java.util.Objects;

/**
 * The Ditto digital twin. {@code features} selects which features exist ({@code ContainerFactory},
 * {@code SoftwareUpdatable}, {@code Metrics}). With a static {@code device_id} (and {@code tenant_id}) the twin
 * starts without waiting for a cloud connector's {@code edge/thing/response}.
 */
public record ThingsConfig(boolean enable, List<String> features, String deviceId, String tenantId) {

    public static final List<String> ALL_FEATURES = List.of("ContainerFactory", "SoftwareUpdatable", "Metrics");
    public static final ThingsConfig DEFAULTS = new ThingsConfig(true, ALL_FEATURES, "", "");

    public ThingsConfig {
        features = List.copyOf(features);
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenantId, "tenantId");
    }
}

package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Container metrics. {@code min_frequency} is the shortest period a Ditto {@code request} may ask for (Kanto clamps
 * to 1s). The Prometheus endpoint is off unless {@code prometheus.enable} is true.
 */
public record MetricsConfig(Duration minFrequency, PrometheusConfig prometheus) {

    public static final MetricsConfig DEFAULTS = new MetricsConfig(Duration.ofSeconds(1), PrometheusConfig.DEFAULTS);

    public MetricsConfig {
        Objects.requireNonNull(minFrequency, "minFrequency");
        Objects.requireNonNull(prometheus, "prometheus");
    }

    /** The Prometheus text endpoint; {@code listen} is {@code host:port}. */
    public record PrometheusConfig(boolean enable, String listen) {
        public static final PrometheusConfig DEFAULTS = new PrometheusConfig(false, "127.0.0.1:9464");

        public PrometheusConfig {
            Objects.requireNonNull(listen, "listen");
        }
    }
}

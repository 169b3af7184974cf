package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Container metrics. {@code min_frequency} is the shortest period a Ditto {@code request} may ask for (Kanto clamps
 * to 1s). The Prometheus endpoint is off unless {@code prometheus.enable} is true; {@code own} says how the metrics
 * containers expose about themselves are collected for it (docs/metrics.md, "Containers' own metrics").
 */
public record MetricsConfig(Duration minFrequency, PrometheusConfig prometheus, OwnConfig own) {

    public static final MetricsConfig DEFAULTS = new MetricsConfig(Duration.ofSeconds(1), PrometheusConfig.DEFAULTS,
            OwnConfig.DEFAULTS);

    public MetricsConfig {
        Objects.requireNonNull(minFrequency, "minFrequency");
        Objects.requireNonNull(prometheus, "prometheus");
        Objects.requireNonNull(own, "own");
    }

    /**
     * Containers' own metrics: collected every {@code interval} while the Prometheus endpoint is on, at most
     * {@code max_size} and {@code timeout} per container.
     */
    public record OwnConfig(boolean enable, Duration interval, ByteSize maxSize, Duration timeout) {
        public static final OwnConfig DEFAULTS = new OwnConfig(true, Duration.ofMinutes(1), ByteSize.ofMebibytes(1),
                Duration.ofSeconds(5));

        public OwnConfig {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(maxSize, "maxSize");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** The Prometheus text endpoint; {@code listen} is {@code host:port}. */
    public record PrometheusConfig(boolean enable, String listen) {
        public static final PrometheusConfig DEFAULTS = new PrometheusConfig(false, "127.0.0.1:9464");

        public PrometheusConfig {
            Objects.requireNonNull(listen, "listen");
        }
    }
}

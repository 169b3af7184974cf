package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The container engine (Docker Engine API). {@code default_stop_timeout} is how long a stop waits before the engine
 * kills the process (Kanto's {@code manager.default_ctrs_stop_timeout}); {@code api_timeout} bounds every engine call
 * except pulls, which instead fail when no progress is seen for {@code pull_stall_timeout} and are retried
 * {@code pull_retries} times with back-off.
 */
public record EngineConfig(String host, Duration defaultStopTimeout, Duration connectTimeout, Duration apiTimeout,
                           int pullRetries, Duration pullStallTimeout) {

    public static final EngineConfig DEFAULTS = new EngineConfig("unix:///var/run/docker.sock", Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(60), 3, Duration.ofSeconds(60));

    public EngineConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(defaultStopTimeout, "defaultStopTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(apiTimeout, "apiTimeout");
        Objects.requireNonNull(pullStallTimeout, "pullStallTimeout");
    }

    /** The same settings for the engine at {@code engineHost}. */
    public EngineConfig withHost(String engineHost) {
        return new EngineConfig(engineHost, defaultStopTimeout, connectTimeout, apiTimeout, pullRetries,
                pullStallTimeout);
    }
}

package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The container engine (Docker Engine API). {@code default_stop_timeout} is how long a stop waits before the engine
 * kills the process (Kanto's {@code manager.default_ctrs_stop_timeout}); {@code api_timeout} bounds every engine call
 * except pulls, which instead fail when no progress is seen for {@code pull_stall_timeout} and are retried
 * {@code pull_retries} times with back-off. A pull is refused at once while the engine's data root has less than
 * {@code min_free_space} free (0 turns the check off). After each successful update, images that Gantry pulled and
 * nothing uses are removed, except the {@code image_keep_previous} previous images of each managed container, for
 * rollback; {@code image_expiry_disable} (Kanto's key) turns that off.
 */
public record EngineConfig(String host, Duration defaultStopTimeout, Duration connectTimeout, Duration apiTimeout,
                           int pullRetries, Duration pullStallTimeout, ByteSize minFreeSpace,
                           boolean imageExpiryDisable, int imageKeepPrevious) {

    public static final EngineConfig DEFAULTS = new EngineConfig("unix:///var/run/docker.sock", Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofSeconds(60), 3, Duration.ofSeconds(60), ByteSize.ofMebibytes(256), false,
            1);

    public EngineConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(defaultStopTimeout, "defaultStopTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(apiTimeout, "apiTimeout");
        Objects.requireNonNull(pullStallTimeout, "pullStallTimeout");
        Objects.requireNonNull(minFreeSpace, "minFreeSpace");
    }

    /** The same settings with the old constructor's six values and the defaults for housekeeping. */
    public EngineConfig(String host, Duration defaultStopTimeout, Duration connectTimeout, Duration apiTimeout,
                        int pullRetries, Duration pullStallTimeout) {
        this(host, defaultStopTimeout, connectTimeout, apiTimeout, pullRetries, pullStallTimeout,
                ByteSize.ofMebibytes(256), false, 1);
    }

    /** The same settings for the engine at {@code engineHost}. */
    public EngineConfig withHost(String engineHost) {
        return new EngineConfig(engineHost, defaultStopTimeout, connectTimeout, apiTimeout, pullRetries,
                pullStallTimeout, minFreeSpace, imageExpiryDisable, imageKeepPrevious);
    }

    /** The same settings with another free-space threshold before pulls. */
    public EngineConfig withMinFreeSpace(ByteSize threshold) {
        return new EngineConfig(host, defaultStopTimeout, connectTimeout, apiTimeout, pullRetries, pullStallTimeout,
                threshold, imageExpiryDisable, imageKeepPrevious);
    }
}

package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The "time good" signal (docs/operations.md, "Time good"). {@code status_file} is a file whose non-empty content
 * means the clock is synchronised, asked before the system's own sources ({@code ""}: only those);
 * {@code check_interval} is how often Gantry asks again.
 */
public record TimeSyncConfig(String statusFile, Duration checkInterval) {

    public static final TimeSyncConfig DEFAULTS = new TimeSyncConfig("", Duration.ofSeconds(30));

    public TimeSyncConfig {
        Objects.requireNonNull(statusFile, "statusFile");
        Objects.requireNonNull(checkInterval, "checkInterval");
    }
}

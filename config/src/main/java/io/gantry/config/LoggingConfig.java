package io.gantry.config;

import java.util.Objects;

/** Logging: {@code log_level} is ERROR, WARN, INFO, DEBUG or TRACE; an empty {@code log_file} means stdout. */
public record LoggingConfig(String logLevel, String logFile) {

    public static final LoggingConfig DEFAULTS = new LoggingConfig("INFO", "");

    public LoggingConfig {
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logFile, "logFile");
    }
}

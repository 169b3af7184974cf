package io.gantry.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Logging: {@code log_level} is ERROR, WARN, INFO, DEBUG or TRACE (any case); an empty {@code log_file} means stdout,
 * which journald collects. When Gantry writes to a file, it rotates it at {@code log_file_size} and keeps
 * {@code log_file_count} old files, as Kanto does (its {@code log_file_size} is a number of megabytes; Gantry's is a
 * size such as {@code 2m}).
 */
public record LoggingConfig(String logLevel, String logFile, ByteSize logFileSize, int logFileCount) {

    public static final LoggingConfig DEFAULTS = new LoggingConfig("INFO", "", ByteSize.ofMebibytes(2), 5);

    public LoggingConfig {
        logLevel = Objects.requireNonNull(logLevel, "logLevel").trim().toUpperCase(Locale.ROOT);
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(logFileSize, "logFileSize");
    }
}

package io.gantry.core.container;

import io.gantry.config.ByteSize;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a container's output goes and how much of it is kept.
 *
 * <p>Gantry rotates logs by default (json-file, 2 files of 100M, Kanto's defaults), because unbounded container
 * logs are a classic way to fill a gateway's flash. {@code maxFiles}/{@code maxSize} apply to the {@code json-file}
 * and {@code local} drivers ({@code maxFiles} 0 and an empty {@code maxSize} mean the engine's default, which for
 * json-file is unlimited); {@code maxBufferSize} only to the non-blocking mode. {@code options} holds any other
 * driver option ({@code --log-opt}).
 */
public record LogConfig(String driver, int maxFiles, Optional<ByteSize> maxSize, Mode mode,
                        Optional<ByteSize> maxBufferSize, Map<String, String> options) {

    public static final String JSON_FILE = "json-file";
    public static final String LOCAL = "local";
    public static final String NONE = "none";
    /** The drivers an operator may choose; a container made elsewhere may report others (journald, syslog …). */
    public static final Set<String> SUPPORTED_DRIVERS = Set.of(JSON_FILE, LOCAL, NONE);
    public static final int DEFAULT_MAX_FILES = 2;
    public static final ByteSize DEFAULT_MAX_SIZE = ByteSize.ofMebibytes(100);
    public static final ByteSize DEFAULT_MAX_BUFFER_SIZE = ByteSize.ofMebibytes(1);
    /** Docker's {@code --log-opt} keys that map to fields of this record. */
    public static final String MAX_FILE = "max-file";
    public static final String MAX_SIZE = "max-size";
    public static final String MODE = "mode";
    public static final String MAX_BUFFER_SIZE = "max-buffer-size";
    public static final LogConfig DEFAULT = new LogConfig(JSON_FILE, DEFAULT_MAX_FILES, Optional.of(DEFAULT_MAX_SIZE),
            Mode.BLOCKING, Optional.empty(), Map.of());

    /** How the engine delivers output to the driver. */
    public enum Mode {
        BLOCKING("blocking"), NON_BLOCKING("non-blocking");

        private final String dockerName;

        Mode(String dockerName) {
            this.dockerName = dockerName;
        }

        public String dockerName() {
            return dockerName;
        }

        public static Optional<Mode> forName(String name) {
            return EnumNames.wire(Mode.class, name);
        }
    }

    public LogConfig {
        Objects.requireNonNull(maxSize, "maxSize");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxBufferSize, "maxBufferSize");
        if (driver == null || driver.isBlank()) {
            throw new IllegalArgumentException("unsupported log driver configuration: empty");
        }
        driver = driver.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (maxFiles < 0) {
            throw new IllegalArgumentException("max log files cannot be < 1");
        }
        if (!driver.equals(JSON_FILE) && !driver.equals(LOCAL)) {
            // Rotation means nothing to other drivers and the engine reports none for them: keeping it would make
            // a spec for driver "none" differ from the same container as the engine reports it.
            maxFiles = 0;
            maxSize = Optional.empty();
        }
        if (mode == Mode.BLOCKING) {
            // Kanto discards the buffer size in blocking mode (reference/kanto-cua.md §7.12).
            maxBufferSize = Optional.empty();
        } else if (maxBufferSize.isEmpty()) {
            maxBufferSize = Optional.of(DEFAULT_MAX_BUFFER_SIZE);
        }
        options = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(options, "options")));
    }

    /** Reads a driver name an operator typed: {@code json-file}, {@code local} or {@code none}. */
    public static String parseDriver(String text) {
        String d = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!SUPPORTED_DRIVERS.contains(d)) {
            throw new IllegalArgumentException("unsupported log driver configuration: \"" + text
                    + "\" (expected json-file, local or none)");
        }
        return d;
    }

    public boolean rotates() {
        return driver.equals(JSON_FILE) || driver.equals(LOCAL);
    }

    public LogConfig withDriver(String newDriver) {
        return new LogConfig(newDriver, maxFiles, maxSize, mode, maxBufferSize, options);
    }

    public LogConfig withRotation(int newMaxFiles, Optional<ByteSize> newMaxSize) {
        return new LogConfig(driver, newMaxFiles, newMaxSize, mode, maxBufferSize, options);
    }

    public LogConfig withMode(Mode newMode, Optional<ByteSize> newMaxBufferSize) {
        return new LogConfig(driver, maxFiles, maxSize, newMode, newMaxBufferSize, options);
    }

    public LogConfig withOptions(Map<String, String> newOptions) {
        return new LogConfig(driver, maxFiles, maxSize, mode, maxBufferSize, newOptions);
    }

    /**
     * This configuration with Docker's {@code --log-opt} options applied: {@value #MAX_FILE}, {@value #MAX_SIZE},
     * {@value #MODE} and {@value #MAX_BUFFER_SIZE} set the matching fields, any other option is kept as given.
     *
     * @throws IllegalArgumentException naming the option and the expected form (Kanto's messages)
     */
    public LogConfig withDockerOptions(Map<String, String> dockerOptions) {
        int files = maxFiles;
        Optional<ByteSize> size = maxSize;
        Mode newMode = mode;
        Optional<ByteSize> buffer = maxBufferSize;
        Map<String, String> others = new TreeMap<>(options);
        for (Map.Entry<String, String> option : dockerOptions.entrySet()) {
            String value = option.getValue() == null ? "" : option.getValue().trim();
            switch (option.getKey()) {
                case MAX_FILE -> {
                    if (!value.matches("\\d{1,6}")) {
                        throw new IllegalArgumentException("invalid log option max-file=" + value
                                + ": expected a number of files");
                    }
                    files = Integer.parseInt(value);
                }
                case MAX_SIZE -> size = Optional.of(size(value, "max logs size"));
                case MODE -> newMode = Mode.forName(value).orElseThrow(() -> new IllegalArgumentException(
                        "unsupported log mode configuration: " + value + " (expected blocking or non-blocking)"));
                case MAX_BUFFER_SIZE -> buffer = Optional.of(size(value, "max buffer size"));
                default -> others.put(option.getKey(), option.getValue());
            }
        }
        return new LogConfig(driver, files, size, newMode, buffer, others);
    }

    private static ByteSize size(String value, String what) {
        try {
            return ByteSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid format of " + what + " - " + value + " (e.g. 10m)", e);
        }
    }

    /**
     * The options as Docker takes them ({@code --log-opt}), the inverse of {@link #withDockerOptions}: rotation only
     * for the drivers that rotate, the buffer size only in non-blocking mode.
     */
    public Map<String, String> dockerOptions() {
        Map<String, String> out = new TreeMap<>();
        if (rotates()) {
            if (maxFiles > 0) {
                out.put(MAX_FILE, Integer.toString(maxFiles));
            }
            maxSize.ifPresent(s -> out.put(MAX_SIZE, s.shortest()));
        }
        if (mode == Mode.NON_BLOCKING && !driver.equals(NONE)) {
            out.put(MODE, mode.dockerName());
            maxBufferSize.ifPresent(s -> out.put(MAX_BUFFER_SIZE, s.shortest()));
        }
        out.putAll(options);
        return Collections.unmodifiableMap(out);
    }
}

package io.gantry.update.desired;

import io.gantry.config.ByteSize;
import io.gantry.config.Durations;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.protocol.ConfigKey;
import io.gantry.update.protocol.WireComponent;
import io.gantry.update.protocol.WireKeyValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a container component's config keys into a validated {@link ContainerSpec} (reference/kanto-cua.md
 * §2.2–2.5). Values are parsed by the core parsers shared with the CLI and the twin.
 *
 * <p>Kanto's key rules are kept: keys are case-sensitive, {@code env}, {@code cmd}, {@code port}, {@code device},
 * {@code mount} and {@code host} repeat in order, for any other key the last occurrence wins, and an empty value of a
 * single-valued key means its default. Where Kanto silently drops or defaults a value it cannot read (a port,
 * device or mount it cannot parse, {@code privileged=yes}, {@code logMaxFiles=abc}), Gantry rejects the desired
 * state instead, because a silently different container is worse than a clear failure. Unknown keys are accepted
 * and named in a warning.
 */
final class ComponentMapper {

    private ComponentMapper() {
    }

    /**
     * Builds the desired container of one component.
     *
     * @param warnings receives a line for each key that is accepted but ignored
     * @throws IllegalArgumentException with the validation message (Kanto's text where Kanto has one)
     */
    static DesiredComponent toComponent(WireComponent component, List<String> warnings) {
        Map<ConfigKey, String> single = new EnumMap<>(ConfigKey.class);
        Map<ConfigKey, List<String>> repeated = new EnumMap<>(ConfigKey.class);
        Set<String> unknown = new LinkedHashSet<>();
        for (WireKeyValue pair : component.config()) {
            Optional<ConfigKey> key = ConfigKey.forName(pair.key()).filter(ConfigKey::settable);
            if (key.isEmpty()) {
                unknown.add(pair.key());
            } else if (key.get().repeatable()) {
                repeated.computeIfAbsent(key.get(), k -> new ArrayList<>()).add(pair.value());
            } else {
                single.put(key.get(), pair.value());
            }
        }
        // Kanto checks the image before the name (ValidateContainer).
        if (single.containsKey(ConfigKey.IMAGE) && single.get(ConfigKey.IMAGE).isBlank()) {
            throw new IllegalArgumentException("the containers image configuration is invalid");
        }
        ContainerName name = new ContainerName(component.id());
        if (!unknown.isEmpty()) {
            warnings.add("component " + name + ": unknown config " + (unknown.size() == 1 ? "key " : "keys ")
                    + String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are") + " ignored");
        }
        single.values().removeIf(String::isEmpty);

        ContainerSpec.Builder spec = ContainerSpec.builder(image(component, single.get(ConfigKey.IMAGE))).name(name);
        spec.mounts(each(repeated, ConfigKey.MOUNT, Mount::parse));
        spec.privileged(bool(single, ConfigKey.PRIVILEGED));
        spec.devices(each(repeated, ConfigKey.DEVICE, DeviceMapping::parse));
        spec.ports(each(repeated, ConfigKey.PORT, PortMapping::parse));
        spec.extraHosts(each(repeated, ConfigKey.HOST, ExtraHost::parse));
        spec.network(NetworkMode.parse(single.getOrDefault(ConfigKey.NETWORK, "")));
        spec.tty(bool(single, ConfigKey.TERMINAL));
        spec.openStdin(bool(single, ConfigKey.INTERACTIVE));
        spec.log(log(name, single, warnings));
        spec.restartPolicy(restartPolicy(single));
        spec.resources(resources(single));
        spec.env(each(repeated, ConfigKey.ENV, EnvVar::parse));
        spec.cmd(repeated.getOrDefault(ConfigKey.CMD, List.of()));
        return new DesiredComponent(name, component.version(), spec.build());
    }

    /** Without an {@code image} key the image is {@code <id>:<version>} (§2.3). */
    private static ImageRef image(WireComponent component, String image) {
        if (image != null) {
            return ImageRef.parse(image);
        }
        if (component.version().isEmpty()) {
            throw new IllegalArgumentException("no image: the component has neither an image key nor a version"
                    + " (the image would be <id>:<version>)");
        }
        return ImageRef.parse(component.id() + ":" + component.version());
    }

    private static LogConfig log(ContainerName name, Map<ConfigKey, String> single, List<String> warnings) {
        LogConfig log = LogConfig.DEFAULT;
        String driver = single.get(ConfigKey.LOG_DRIVER);
        if (driver != null) {
            try {
                log = log.withDriver(LogConfig.parseDriver(driver));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unsupported log driver configuration", e);
            }
        }
        String mode = single.get(ConfigKey.LOG_MODE);
        LogConfig.Mode logMode = mode == null ? LogConfig.Mode.BLOCKING : LogConfig.Mode.forName(mode)
                .orElseThrow(() -> new IllegalArgumentException("unsupported log mode configuration"));
        int maxFiles = single.containsKey(ConfigKey.LOG_MAX_FILES) ? integer(single, ConfigKey.LOG_MAX_FILES) : 0;
        // Kanto reads 0 as its default of two files (§2.3); a negative count fails in LogConfig with Kanto's message.
        log = log.withRotation(maxFiles == 0 ? LogConfig.DEFAULT_MAX_FILES : maxFiles,
                Optional.of(size(single, ConfigKey.LOG_MAX_SIZE, "invalid format of max logs size - ")
                        .orElse(LogConfig.DEFAULT_MAX_SIZE)));
        log = log.withMode(logMode, size(single, ConfigKey.LOG_MAX_BUFFER_SIZE, "invalid format of max buffer size - "));
        String path = single.get(ConfigKey.LOG_PATH);
        if (path != null) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("root dir for container log, " + path
                        + " should be an absolute path");
            }
            // Docker keeps every container's log under its own data root and has no per-container setting for it.
            warnings.add("component " + name + ": logPath " + path
                    + " is ignored (the Docker engine keeps container logs in its own directory)");
        }
        return log;
    }

    private static RestartPolicy restartPolicy(Map<ConfigKey, String> single) {
        String type = single.get(ConfigKey.RESTART_POLICY);
        RestartPolicy policy = type == null ? RestartPolicy.UNLESS_STOPPED : RestartPolicy.parse(type);
        // Values are checked even where Kanto does not read them (other policies), so a typo is never silent.
        int maxRetries = single.containsKey(ConfigKey.RESTART_MAX_RETRIES)
                ? integer(single, ConfigKey.RESTART_MAX_RETRIES) : 0;
        Duration timeout = single.containsKey(ConfigKey.RESTART_TIMEOUT) ? restartTimeout(single) : Duration.ZERO;
        if (policy.kind() != RestartPolicy.Kind.ON_FAILURE) {
            return policy;
        }
        return RestartPolicy.onFailure(maxRetries, timeout);
    }

    /** Kanto takes whole seconds; a Go duration ({@code 30s}, {@code 1m30s}, as the inventory shows it) is accepted too. */
    private static Duration restartTimeout(Map<ConfigKey, String> single) {
        String value = single.get(ConfigKey.RESTART_TIMEOUT).trim();
        try {
            return Duration.ofSeconds(Integer.parseInt(value));
        } catch (NumberFormatException notAnInteger) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value \"" + value + "\" for restartTimeout:"
                        + " expected whole seconds or a duration such as 90s", e);
            }
        }
    }

    /** Kanto's checks and messages (ValidateResources), which quote the sizes as written. */
    private static Resources resources(Map<ConfigKey, String> single) {
        Optional<ByteSize> memory = size(single, ConfigKey.MEMORY, "invalid format of memory - ");
        Optional<ByteSize> reservation = size(single, ConfigKey.MEMORY_RESERVATION,
                "invalid format of memory reservation - ");
        boolean unlimitedSwap = "-1".equals(single.getOrDefault(ConfigKey.MEMORY_SWAP, "").trim());
        Optional<ByteSize> swap = unlimitedSwap ? Optional.empty()
                : size(single, ConfigKey.MEMORY_SWAP, "invalid format of swap memory - ");
        memory.ifPresent(Resources::memory);
        if (swap.isPresent()) {
            if (memory.isEmpty()) {
                throw new IllegalArgumentException("swap memory - " + single.get(ConfigKey.MEMORY_SWAP)
                        + ", memory must be set as well");
            }
            if (swap.get().compareTo(memory.get()) < 0) {
                throw new IllegalArgumentException("swap memory - " + single.get(ConfigKey.MEMORY_SWAP)
                        + " is less than memory - " + single.get(ConfigKey.MEMORY));
            }
        }
        if (reservation.isPresent() && memory.isPresent() && reservation.get().compareTo(memory.get()) > 0) {
            throw new IllegalArgumentException("reservation memory - " + single.get(ConfigKey.MEMORY_RESERVATION)
                    + " must be lower than memory - " + single.get(ConfigKey.MEMORY));
        }
        Optional<BigDecimal> cpus = Optional.ofNullable(single.get(ConfigKey.CPUS)).map(Resources::parseCpus);
        Optional<Gpus> gpus = Optional.ofNullable(single.get(ConfigKey.GPUS)).map(Gpus::parse);
        return new Resources(memory, reservation, swap, unlimitedSwap, cpus, gpus);
    }

    private static Optional<ByteSize> size(Map<ConfigKey, String> single, ConfigKey key, String kantoMessage) {
        String value = single.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ByteSize.parse(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kantoMessage + value, e);
        }
    }

    /** Go's {@code strconv.ParseBool} spellings; anything else is an error rather than Kanto's silent false. */
    private static boolean bool(Map<ConfigKey, String> single, ConfigKey key) {
        String value = single.get(key);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("invalid value \"" + value + "\" for " + key.wireName()
                    + ": expected true or false");
        };
    }

    /** Go's {@code strconv.Atoi}: an optional sign and decimal digits; anything else is an error, not Kanto's 0. */
    private static int integer(Map<ConfigKey, String> single, ConfigKey key) {
        String value = single.get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + value + "\" for " + key.wireName()
                    + ": expected a whole number", e);
        }
    }

    private static <T> List<T> each(Map<ConfigKey, List<String>> repeated, ConfigKey key, Function<String, T> parser) {
        List<T> values = new ArrayList<>();
        for (String text : repeated.getOrDefault(key, List.of())) {
            values.add(parser.apply(text));
        }
        return values;
    }
}

package io.gantry.update.protocol;

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
import io.gantry.update.desired.DesiredComponent;
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
 * single-valued key means its default. Where Kanto drops or defaults a value it cannot read (a port, device or
 * mount it cannot parse, {@code privileged=yes}, {@code logMaxFiles=abc}), Gantry does the same, so that every
 * desired state Kanto deploys deploys here, but never silently: each such value is named in a warning, and strict
 * mode refuses the desired state instead ({@link Lenience}). Where the author's meaning is clear Gantry applies it
 * ({@code localhost:55555:30555-30555/tcp} maps 127.0.0.1:55555 to 30555). Unknown keys are named in a warning.
 */
final class ComponentMapper {

    private ComponentMapper() {
    }

    /**
     * Builds the desired container of one component.
     *
     * @param strict whether a value Kanto drops or defaults fails the component instead of giving a warning
     * @param warnings receives a line for each key or value that is accepted but ignored, dropped or defaulted
     * @throws IllegalArgumentException with the validation message (Kanto's text where Kanto has one)
     */
    static DesiredComponent toComponent(WireComponent component, boolean strict, List<String> warnings) {
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
        Lenience lenience = new Lenience(name, strict, warnings);
        if (!unknown.isEmpty()) {
            lenience.warn("unknown config " + (unknown.size() == 1 ? "key " : "keys ")
                    + String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are") + " ignored");
        }
        single.values().removeIf(String::isEmpty);

        ContainerSpec.Builder spec = ContainerSpec.builder(image(component, single.get(ConfigKey.IMAGE))).name(name);
        spec.mounts(each(repeated, ConfigKey.MOUNT, text -> mount(text, lenience)));
        spec.privileged(bool(single, ConfigKey.PRIVILEGED, lenience));
        spec.devices(each(repeated, ConfigKey.DEVICE, text -> device(text, lenience)));
        spec.ports(each(repeated, ConfigKey.PORT, text -> dropUnreadable(ConfigKey.PORT, text, PortMapping::parse,
                lenience)));
        spec.extraHosts(each(repeated, ConfigKey.HOST, text -> Optional.of(ExtraHost.parse(text))));
        spec.network(NetworkMode.parse(single.getOrDefault(ConfigKey.NETWORK, "")));
        spec.tty(bool(single, ConfigKey.TERMINAL, lenience));
        spec.openStdin(bool(single, ConfigKey.INTERACTIVE, lenience));
        spec.log(log(single, lenience));
        spec.restartPolicy(restartPolicy(single, lenience));
        spec.resources(resources(single));
        spec.env(each(repeated, ConfigKey.ENV, text -> Optional.of(EnvVar.parse(text))));
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

    /** Kanto drops a mount that is not two or three parts (§2.4); one it can split but not accept fails. */
    private static Optional<Mount> mount(String text, Lenience lenience) {
        int parts = text.trim().split(":", -1).length;
        if (parts < 2 || parts > 3) {
            return dropUnreadable(ConfigKey.MOUNT, text, Mount::parse, lenience);
        }
        return Optional.of(Mount.parse(text));
    }

    /** Kanto drops a device it cannot split or whose permissions it cannot read; an empty host path fails (§2.4). */
    private static Optional<DeviceMapping> device(String text, Lenience lenience) {
        if (text.trim().startsWith(":")) {
            return Optional.of(DeviceMapping.parse(text));
        }
        return dropUnreadable(ConfigKey.DEVICE, text, DeviceMapping::parse, lenience);
    }

    private static <T> Optional<T> dropUnreadable(ConfigKey key, String text, Function<String, T> parser,
                                                  Lenience lenience) {
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException e) {
            lenience.tolerate(key, text, "dropped", e);
            return Optional.empty();
        }
    }

    private static LogConfig log(Map<ConfigKey, String> single, Lenience lenience) {
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
        int maxFiles = integer(single, ConfigKey.LOG_MAX_FILES, lenience);
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
            lenience.warn("logPath " + path
                    + " is ignored (the Docker engine keeps container logs in its own directory)");
        }
        return log;
    }

    private static RestartPolicy restartPolicy(Map<ConfigKey, String> single, Lenience lenience) {
        String type = single.get(ConfigKey.RESTART_POLICY);
        RestartPolicy policy = type == null ? RestartPolicy.UNLESS_STOPPED : RestartPolicy.parse(type);
        // Values are checked even where Kanto does not read them (other policies), so a typo is never silent.
        int maxRetries = integer(single, ConfigKey.RESTART_MAX_RETRIES, lenience);
        Duration timeout = single.containsKey(ConfigKey.RESTART_TIMEOUT) ? restartTimeout(single, lenience)
                : Duration.ZERO;
        if (policy.kind() != RestartPolicy.Kind.ON_FAILURE) {
            return policy;
        }
        return RestartPolicy.onFailure(maxRetries, timeout);
    }

    /** Kanto takes whole seconds; a Go duration ({@code 30s}, {@code 1m30s}, as the inventory shows it) is accepted too. */
    private static Duration restartTimeout(Map<ConfigKey, String> single, Lenience lenience) {
        String value = single.get(ConfigKey.RESTART_TIMEOUT).trim();
        try {
            return Duration.ofSeconds(Integer.parseInt(value));
        } catch (NumberFormatException notAnInteger) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                // Kanto's Atoi reads it as 0 (§2.2).
                lenience.tolerate(ConfigKey.RESTART_TIMEOUT, value, "read as 0", new IllegalArgumentException(
                        "invalid value \"" + value + "\" for restartTimeout: expected whole seconds or a duration"
                                + " such as 90s", e));
                return Duration.ZERO;
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

    /** Go's {@code strconv.ParseBool} spellings; anything else is Kanto's false, with a warning. */
    private static boolean bool(Map<ConfigKey, String> single, ConfigKey key, Lenience lenience) {
        String value = single.get(key);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> {
                lenience.tolerate(key, value, "read as false", new IllegalArgumentException("invalid value \""
                        + value + "\" for " + key.wireName() + ": expected true or false"));
                yield false;
            }
        };
    }

    /** Go's {@code strconv.Atoi}: an optional sign and decimal digits; absent is 0, anything else Kanto's 0 too. */
    private static int integer(Map<ConfigKey, String> single, ConfigKey key, Lenience lenience) {
        String value = single.get(key);
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            lenience.tolerate(key, value, "read as 0", new IllegalArgumentException("invalid value \"" + value
                    + "\" for " + key.wireName() + ": expected a whole number", e));
            return 0;
        }
    }

    private static <T> List<T> each(Map<ConfigKey, List<String>> repeated, ConfigKey key,
                                    Function<String, Optional<T>> parser) {
        List<T> values = new ArrayList<>();
        for (String text : repeated.getOrDefault(key, List.of())) {
            parser.apply(text).ifPresent(values::add);
        }
        return values;
    }
}

package io.gantry.kanto.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.config.ByteSize;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Protocol;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pieces of a container spec that both Kanto formats share, checked with Kanto's rules and messages
 * (reference/kanto-cua.md §2.3, ValidateContainer); each mapper reads its own field names and hands the values here.
 */
final class SpecParts {

    private static final long PORT_MAX = 65535;
    private static final String PORT_FORM = "a port number from 0 to 65535";

    private SpecParts() {
    }

    /**
     * A restart policy. The type may be spelled as Kanto's twin does ({@code ON_FAILURE}) or as its runtime does
     * ({@code on-failure}); an absent type means the default, {@code unless-stopped}.
     */
    static RestartPolicy restartPolicy(JsonInput at, Optional<String> type, long maxRetryCount, Duration retryTimeout) {
        RestartPolicy.Kind kind = type.filter(t -> !t.isEmpty())
                .map(t -> RestartPolicy.Kind.forName(t)
                        .orElseThrow(() -> at.invalid("unsupported restart policy type " + t)))
                .orElse(RestartPolicy.Kind.UNLESS_STOPPED);
        if (kind == RestartPolicy.Kind.ON_FAILURE) {
            if (maxRetryCount < 0) {
                throw at.invalid("restart policy max retry count cannot be negative");
            }
            if (retryTimeout.isNegative()) {
                throw at.invalid("restart policy retry timeout cannot be negative");
            }
            return at.build(() -> RestartPolicy.onFailure((int) Math.min(maxRetryCount, Integer.MAX_VALUE),
                    retryTimeout));
        }
        if (maxRetryCount != 0) {
            throw at.invalid("cannot use max retry count when the restart policy is " + kind.dockerName());
        }
        return RestartPolicy.of(kind);
    }

    /** A size string such as {@code 500M}; Kanto's message names the setting when it cannot be read. */
    static Optional<ByteSize> size(JsonInput value, String what) {
        Optional<String> text = value.string().filter(s -> !s.isBlank());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ByteSize.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(DescriptorException.Kind.INVALID_VALUE, value.path(),
                    "invalid format of " + what + " - " + text.get() + " (expected a size such as 500M)", e);
        }
    }

    /** Memory limits; a swap of {@code -1} means unlimited, as in Kanto. */
    static Resources memory(JsonInput at, JsonInput memory, JsonInput reservation, JsonInput swap) {
        boolean unlimitedSwap = swap.string().map(String::trim).filter("-1"::equals).isPresent();
        Optional<ByteSize> swapSize = unlimitedSwap ? Optional.empty() : size(swap, "swap memory");
        Optional<ByteSize> memorySize = size(memory, "memory");
        Optional<ByteSize> reservationSize = size(reservation, "memory reservation");
        return at.build(() -> Resources.NONE.withMemory(memorySize, reservationSize, swapSize, unlimitedSwap));
    }

    /** Log settings with Kanto's defaults: json-file, 2 files of 100M, blocking; 0 files means the default. */
    static LogConfig log(JsonInput at, Optional<String> type, long maxFiles, Optional<ByteSize> maxSize,
                         JsonInput modeInput, Optional<ByteSize> maxBufferSize) {
        String driver = type.filter(t -> !t.isEmpty()).map(t -> at.build(() -> LogConfig.parseDriver(t)))
                .orElse(LogConfig.JSON_FILE);
        if (maxFiles < 0) {
            throw at.invalid("max log files cannot be < 1");
        }
        LogConfig.Mode mode = modeInput.string().filter(m -> !m.isEmpty())
                .map(m -> LogConfig.Mode.forName(m).orElseThrow(() -> modeInput.invalid(
                        "unsupported log mode configuration " + m + " (expected BLOCKING or NON_BLOCKING)")))
                .orElse(LogConfig.Mode.BLOCKING);
        int files = maxFiles == 0 ? LogConfig.DEFAULT_MAX_FILES : (int) Math.min(maxFiles, Integer.MAX_VALUE);
        return at.build(() -> new LogConfig(driver, files, Optional.of(maxSize.orElse(LogConfig.DEFAULT_MAX_SIZE)),
                mode, maxBufferSize, java.util.Map.of()));
    }

    /** A port mapping with Kanto's defaults: tcp, all addresses, a host range of one port. */
    static PortMapping port(JsonInput at, JsonInput proto, long hostPort, long hostPortEnd, long containerPort,
                            String hostIp) {
        Protocol protocol = proto.string().filter(p -> !p.isEmpty())
                .map(p -> Protocol.forName(p).orElseThrow(() -> proto.invalid(
                        "unsupported protocol " + p + " (expected tcp, udp or sctp)")))
                .orElse(Protocol.TCP);
        String ip = hostIp.isEmpty() ? PortMapping.ANY_ADDRESS : hostIp;
        long end = hostPortEnd == 0 ? hostPort : hostPortEnd;
        return at.build(() -> new PortMapping(ip, (int) hostPort, (int) end, (int) containerPort, protocol));
    }

    /** A device with Kanto's defaults: the same path inside the container, permissions rwm. */
    static DeviceMapping device(JsonInput at, String pathOnHost, String pathInContainer, String permissions) {
        String inside = pathInContainer.isEmpty() ? pathOnHost : pathInContainer;
        String perms = permissions.isEmpty() ? "rwm" : permissions;
        return at.build(() -> new DeviceMapping(pathOnHost, inside, perms));
    }

    static Mount mount(JsonInput at, String source, String destination, Propagation propagation, boolean readOnly) {
        return at.build(() -> new Mount(source, destination, propagation, readOnly));
    }

    /** The longest retry timeout accepted: far beyond any sensible back-off, and safe from overflow. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000L);

    static Duration secondsToDuration(JsonInput at, BigDecimal seconds) {
        if (seconds.abs().compareTo(MAX_SECONDS) > 0) {
            throw at.invalid("the duration " + seconds.toPlainString() + "s is too long");
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    /** {@code K=V} entries, each checked with Kanto's rule. */
    static List<EnvVar> env(JsonInput array) {
        List<EnvVar> env = new ArrayList<>();
        for (JsonInput e : array.elements()) {
            String text = e.string().orElseThrow(() -> e.wrongType("a string"));
            env.add(e.build(() -> EnvVar.parse(text)));
        }
        return env;
    }

    /** {@code name:address} entries. */
    static List<ExtraHost> extraHosts(JsonInput array) {
        List<ExtraHost> hosts = new ArrayList<>();
        for (JsonInput h : array.elements()) {
            String text = h.string().orElseThrow(() -> h.wrongType("a string"));
            hosts.add(h.build(() -> ExtraHost.parse(text)));
        }
        return hosts;
    }

    /** Settings Kanto has and Docker cannot honour are refused rather than silently dropped. */
    static void refuseUnsupported(JsonInput capabilities, JsonInput decryptionKeys) {
        if (!capabilities.strings().isEmpty()) {
            throw capabilities.invalid("extra capabilities are not supported by Gantry");
        }
        if (!decryptionKeys.strings().isEmpty()) {
            throw decryptionKeys.invalid("encrypted images are not supported: the Docker engine cannot decrypt them");
        }
    }

    /** A port number; outside 0–65535 the JSON cannot be read, as Go cannot read it into a uint16. */
    static long portNumber(JsonInput value) {
        return value.integer(0, PORT_MAX, PORT_FORM).orElse(0);
    }

    /** Seconds as Kanto writes them: a whole number when the duration is whole, else a decimal. */
    static JsonNode seconds(Duration duration) {
        if (duration.getNano() == 0) {
            return JsonNodeFactory.instance.numberNode(duration.getSeconds());
        }
        BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds())
                .add(BigDecimal.valueOf(duration.getNano(), 9)).stripTrailingZeros();
        return JsonNodeFactory.instance.numberNode(seconds);
    }

    static void putText(ObjectNode json, String key, String value) {
        if (!value.isEmpty()) {
            json.put(key, value);
        }
    }

    static void putStrings(ObjectNode json, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = json.putArray(key);
            values.forEach(array::add);
        }
    }
}

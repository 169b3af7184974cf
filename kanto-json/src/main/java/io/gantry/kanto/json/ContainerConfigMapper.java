package io.gantry.kanto.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Kanto's camelCase container {@code Config} (reference/kanto-things.md §3.2) to and from {@link ContainerSpec}: the
 * input of {@code createWithConfig} and {@code update}, and the {@code status.config} property of a
 * {@code Container:<id>} feature.
 *
 * <p>Output follows Kanto exactly: key order as in Kanto, every key omitted when empty, zero or false, enums in
 * upper case. Input is read as leniently as Kanto reads it: keys match case-insensitively, unknown keys are ignored,
 * enums may be spelled as Kanto's twin ({@code ON_FAILURE}) or as its runtime ({@code on-failure}) does, and
 * {@code propagationMode} quietly becomes {@code RPRIVATE} unless it is one of the upper-case values.
 */
public final class ContainerConfigMapper {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ContainerConfigMapper() {
    }

    /** The {@code status.config} object for a spec. */
    public static ObjectNode toJson(ContainerSpec spec) {
        ObjectNode config = JSON.objectNode();
        SpecParts.putText(config, "domainName", spec.domainname());
        if (!spec.mounts().isEmpty()) {
            ArrayNode mounts = config.putArray("mountPoints");
            for (Mount m : spec.mounts()) {
                mounts.addObject().put("source", m.source()).put("destination", m.destination())
                        .put("propagationMode", m.propagation().name());
            }
        }
        SpecParts.putText(config, "hostName", spec.hostname());
        SpecParts.putStrings(config, "env", spec.env().stream().map(EnvVar::toString).toList());
        SpecParts.putStrings(config, "cmd", spec.cmd());
        if (!spec.devices().isEmpty()) {
            ArrayNode devices = config.putArray("devices");
            for (DeviceMapping d : spec.devices()) {
                devices.addObject().put("pathOnHost", d.pathOnHost()).put("pathInContainer", d.pathInContainer())
                        .put("cgroupPermissions", d.cgroupPermissions());
            }
        }
        if (spec.privileged()) {
            config.put("privileged", true);
        }
        config.set("restartPolicy", restartPolicyJson(spec.restartPolicy()));
        SpecParts.putStrings(config, "extraHosts", spec.extraHosts().stream().map(ExtraHost::toString).toList());
        if (!spec.ports().isEmpty()) {
            ArrayNode ports = config.putArray("portMappings");
            for (PortMapping p : spec.ports()) {
                ObjectNode port = ports.addObject().put("proto", p.protocol().wireName()).put("hostPort", p.hostPort());
                if (p.hostPortEnd() != 0) {
                    port.put("hostPortEnd", p.hostPortEnd());
                }
                port.put("containerPort", p.containerPort()).put("hostIP", p.hostIp());
            }
        }
        config.put("networkMode", networkModeName(spec.network()));
        if (spec.openStdin()) {
            config.put("openStdin", true);
        }
        if (spec.tty()) {
            config.put("tty", true);
        }
        config.set("log", logJson(spec.log()));
        Resources r = spec.resources();
        if (r.memory().isPresent() || r.memoryReservation().isPresent() || r.memorySwap().isPresent()
                || r.unlimitedSwap()) {
            ObjectNode resources = config.putObject("resources");
            r.memory().ifPresent(m -> resources.put("memory", m.format()));
            r.memoryReservation().ifPresent(m -> resources.put("memoryReservation", m.format()));
            if (r.unlimitedSwap()) {
                resources.put("memorySwap", "-1");
            } else {
                r.memorySwap().ifPresent(m -> resources.put("memorySwap", m.format()));
            }
        }
        return config;
    }

    /** Kanto's {@code restartPolicy} object. */
    public static ObjectNode restartPolicyJson(RestartPolicy policy) {
        ObjectNode json = JSON.objectNode();
        if (policy.maxRetries() != 0) {
            json.put("maxRetryCount", policy.maxRetries());
        }
        if (!policy.retryTimeout().isZero()) {
            json.set("retryTimeout", SpecParts.seconds(policy.retryTimeout()));
        }
        return json.put("type", policy.kind().name());
    }

    private static ObjectNode logJson(LogConfig log) {
        ObjectNode json = JSON.objectNode();
        json.put("type", log.driver().toUpperCase(Locale.ROOT).replace('-', '_'));
        if (log.rotates()) {
            if (log.maxFiles() != 0) {
                json.put("maxFiles", log.maxFiles());
            }
            log.maxSize().ifPresent(s -> json.put("maxSize", s.format()));
        }
        json.put("mode", log.mode().name());
        log.maxBufferSize().ifPresent(s -> json.put("maxBufferSize", s.format()));
        return json;
    }

    /** Kanto knows BRIDGE and HOST; Docker's other modes are reported by their Docker names. */
    private static String networkModeName(NetworkMode mode) {
        return switch (mode.kind()) {
            case BRIDGE, HOST, NONE -> mode.kind().name();
            case CONTAINER, NAMED -> mode.dockerName();
        };
    }

    /**
     * Applies a Kanto {@code config} object (absent or {@code null} means none) to {@code spec}, whose image and name
     * are already set. Defaults are Kanto's: restart policy unless-stopped, bridge network, json-file logs.
     *
     * @throws DescriptorException naming the field that cannot be read or is not acceptable
     */
    public static ContainerSpec.Builder fromJson(JsonInput config, ContainerSpec.Builder spec) {
        config.requireObject();
        config.field("domainName").string().ifPresent(spec::domainname);
        config.field("hostName").string().ifPresent(spec::hostname);
        for (JsonInput m : config.field("mountPoints").elements()) {
            // Kanto reads only its own upper-case names here and turns anything else into RPRIVATE (§3.2).
            Propagation propagation = m.field("propagationMode").string()
                    .filter(p -> p.equals(p.toUpperCase(Locale.ROOT)))
                    .flatMap(Propagation::forName).orElse(Propagation.RPRIVATE);
            spec.addMount(SpecParts.mount(m, m.field("source").string(""), m.field("destination").string(""),
                    propagation, false));
        }
        SpecParts.env(config.field("env")).forEach(spec::addEnv);
        spec.cmd(config.field("cmd").strings());
        SpecParts.refuseUnsupported(config.field("extraCapabilities"), config.field("decryption").field("keys"));
        for (JsonInput d : config.field("devices").elements()) {
            spec.addDevice(SpecParts.device(d, d.field("pathOnHost").string(""), d.field("pathInContainer").string(""),
                    d.field("cgroupPermissions").string("")));
        }
        config.field("privileged").bool().ifPresent(spec::privileged);
        restartPolicy(config.field("restartPolicy")).ifPresent(spec::restartPolicy);
        SpecParts.extraHosts(config.field("extraHosts")).forEach(spec::addExtraHost);
        for (JsonInput p : config.field("portMappings").elements()) {
            p.requireObject();
            spec.addPort(SpecParts.port(p, p.field("proto"),
                    SpecParts.portNumber(p.field("hostPort")), SpecParts.portNumber(p.field("hostPortEnd")),
                    SpecParts.portNumber(p.field("containerPort")),
                    p.field("hostIP").string("")));
        }
        JsonInput network = config.field("networkMode");
        network.string().filter(n -> !n.isEmpty()).ifPresent(n -> spec.network(network.build(() -> NetworkMode.parse(n))));
        config.field("openStdin").bool().ifPresent(spec::openStdin);
        config.field("tty").bool().ifPresent(spec::tty);
        JsonInput log = config.field("log");
        if (!log.requireObject().isAbsent()) {
            // rootDir is Kanto's per-container log directory; Docker keeps logs under its own root, so it is ignored.
            spec.log(SpecParts.log(log, log.field("type").string(), log.field("maxFiles").integer().orElse(0),
                    SpecParts.size(log.field("maxSize"), "max logs size"), log.field("mode"),
                    SpecParts.size(log.field("maxBufferSize"), "max buffer size")));
        }
        memoryLimits(config.field("resources")).ifPresent(spec::resources);
        return spec;
    }

    /** Kanto's {@code restartPolicy} object, as {@code createWithConfig} and {@code update} take it. */
    public static Optional<RestartPolicy> restartPolicy(JsonInput policy) {
        if (policy.requireObject().isAbsent()) {
            return Optional.empty();
        }
        long maxRetryCount = policy.field("maxRetryCount").integer().orElse(0);
        // Seconds; Kanto truncates the fraction on input (§3.2).
        JsonInput retryTimeout = policy.field("retryTimeout");
        BigDecimal seconds = retryTimeout.number().orElse(BigDecimal.ZERO).setScale(0, RoundingMode.DOWN);
        Duration timeout = SpecParts.secondsToDuration(retryTimeout, seconds);
        return Optional.of(SpecParts.restartPolicy(policy, policy.field("type").string(), maxRetryCount, timeout));
    }

    /** Kanto's {@code resources} object: memory limits only. */
    public static Optional<Resources> memoryLimits(JsonInput resources) {
        if (resources.requireObject().isAbsent()) {
            return Optional.empty();
        }
        return Optional.of(SpecParts.memory(resources, resources.field("memory"),
                resources.field("memoryReservation"), resources.field("memorySwap")));
    }
}

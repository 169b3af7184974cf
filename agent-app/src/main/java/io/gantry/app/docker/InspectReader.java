package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.Health;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Protocol;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the engine's container JSON ({@code GET /containers/{id}/json}) into a {@link Container}.
 *
 * <p>A container Gantry created reports the spec recorded in its label, with what can change afterwards overlaid
 * from the engine: the name (rename), the restart policy and the resources (update). Any other container's spec is
 * derived from what the engine reports, leniently: a value Gantry could not have written (an odd bind option, a
 * fractional CPU count of four decimals) is approximated or left out, never a reason to fail.
 */
final class InspectReader {

    private static final Logger LOG = LoggerFactory.getLogger(InspectReader.class);
    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

    private final SpecLabel specLabel;

    InspectReader(SpecLabel specLabel) {
        this.specLabel = specLabel;
    }

    Container read(JsonNode c) {
        JsonNode config = c.path("Config");
        JsonNode host = c.path("HostConfig");
        ContainerId id = ContainerId.of(c.path("Id").asText());
        ContainerName name = name(c.path("Name").asText(), id);
        Map<String, String> labels = stringMap(config.path("Labels"));
        boolean managed = "true".equals(labels.get(Container.MANAGED_LABEL));
        Map<String, String> gantryLabels = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (k.startsWith(ContainerSpec.GANTRY_LABEL_PREFIX) && !k.equals(SpecLabel.KEY)) {
                gantryLabels.put(k, v);
            }
        });
        String imageId = c.path("Image").asText("");
        Optional<ContainerSpec> recorded = managed ? specLabel.read(labels.get(SpecLabel.KEY)) : Optional.empty();
        if (managed && recorded.isEmpty()) {
            LOG.debug("Container {} has no readable spec label; deriving its spec from the engine", name);
        }
        ContainerSpec spec = recorded.map(r -> overlay(r, name, host))
                .orElseGet(() -> derive(name, image(config.path("Image").asText(""), imageId), config, host, labels));
        return new Container(id, name, spec.image(), imageId, spec, state(c), time(c.path("Created")).orElse(ZERO_TIME),
                managed, gantryLabels);
    }

    // ---- managed containers: the recorded spec with live name, restart policy and resources ----------------------

    private static ContainerSpec overlay(ContainerSpec recorded, ContainerName name, JsonNode host) {
        RestartPolicy live = restartPolicy(host.path("RestartPolicy"));
        RestartPolicy policy = live.kind() == RestartPolicy.Kind.ON_FAILURE
                && recorded.restartPolicy().kind() == RestartPolicy.Kind.ON_FAILURE
                // Docker has no retry timeout; the one recorded stays while the policy is still on-failure.
                ? RestartPolicy.onFailure(live.maxRetries(), recorded.restartPolicy().retryTimeout()) : live;
        Resources liveResources = resources(host).withGpus(recorded.resources().gpus());
        Resources resources = liveResources.equals(defaultSwapAsEmpty(recorded.resources()))
                ? recorded.resources() : liveResources;
        return recorded.toBuilder().name(name).restartPolicy(policy).resources(resources).buildAsReported();
    }

    /** Swap of exactly twice the memory is what the engine sets by default, so it reads as "default" (empty). */
    static Resources defaultSwapAsEmpty(Resources r) {
        boolean doubled = r.memory().isPresent() && r.memorySwap().isPresent()
                && r.memorySwap().get().bytes() == 2 * r.memory().get().bytes();
        return doubled ? r.withMemory(r.memory(), r.memoryReservation(), Optional.empty(), false) : r;
    }

    // ---- any other container: derived from the engine's view, leniently ------------------------------------------

    private static ContainerSpec derive(ContainerName name, ImageRef image, JsonNode config, JsonNode host,
                                        Map<String, String> labels) {
        Map<String, String> userLabels = new TreeMap<>(labels);
        userLabels.keySet().removeIf(k -> k.startsWith(ContainerSpec.GANTRY_LABEL_PREFIX));
        List<Mount> mounts = new ArrayList<>(each(host.path("Binds"), n -> bind(n.asText())));
        mounts.addAll(each(host.path("Mounts"), InspectReader::mount));
        return ContainerSpec.builder(image)
                .name(name)
                .cmd(each(config.path("Cmd"), JsonNode::asText))
                .entrypoint(each(config.path("Entrypoint"), JsonNode::asText))
                .env(each(config.path("Env"), n -> EnvVar.fromEngine(n.asText())))
                .hostname(config.path("Hostname").asText(""))
                .domainname(config.path("Domainname").asText(""))
                .mounts(mounts)
                .devices(each(host.path("Devices"), n -> new DeviceMapping(n.path("PathOnHost").asText(),
                        n.path("PathInContainer").asText(), n.path("CgroupPermissions").asText("rwm"))))
                .privileged(host.path("Privileged").asBoolean())
                .network(network(host.path("NetworkMode").asText("")))
                .ports(ports(host.path("PortBindings")))
                .extraHosts(each(host.path("ExtraHosts"), n -> ExtraHost.parse(n.asText())))
                .restartPolicy(restartPolicy(host.path("RestartPolicy")))
                .log(log(host.path("LogConfig")))
                .resources(resources(host))
                .runtime(host.path("Runtime").asText(""))
                .labels(userLabels)
                .tty(config.path("Tty").asBoolean())
                .openStdin(config.path("OpenStdin").asBoolean())
                .buildAsReported();
    }

    private static ImageRef image(String configured, String imageId) {
        try {
            return ImageRef.parse(configured);
        } catch (IllegalArgumentException e) {
            return ImageRef.parse(imageId.isEmpty() ? "sha256:" + "0".repeat(64) : imageId);
        }
    }

    private static ContainerName name(String text, ContainerId id) {
        try {
            return ContainerName.parse(text);
        } catch (IllegalArgumentException e) {
            return new ContainerName(id.shortForm());
        }
    }

    /** Reads a bind as Docker stores it: {@code src:dst[:opts]}; options Gantry does not model (z, nocopy) are dropped. */
    static Mount bind(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a bind: " + text);
        }
        boolean readOnly = false;
        Propagation propagation = Propagation.RPRIVATE;
        if (parts.length > 2) {
            for (String option : parts[2].split(",")) {
                if (option.equalsIgnoreCase("ro")) {
                    readOnly = true;
                } else {
                    Optional<Propagation> p = Propagation.forName(option);
                    if (p.isPresent()) {
                        propagation = p.get();
                    }
                }
            }
        }
        return new Mount(parts[0], parts[1], propagation, readOnly);
    }

    private static Mount mount(JsonNode n) {
        String type = n.path("Type").asText();
        if (!type.equals("bind") && !type.equals("volume")) {
            throw new IllegalArgumentException("mount type " + type + " is not modelled");
        }
        Propagation propagation = Propagation.forName(n.path("BindOptions").path("Propagation").asText())
                .orElse(Propagation.RPRIVATE);
        return new Mount(n.path("Source").asText(), n.path("Target").asText(), propagation,
                n.path("ReadOnly").asBoolean());
    }


    private static NetworkMode network(String mode) {
        try {
            return NetworkMode.parse(mode);
        } catch (IllegalArgumentException e) {
            return NetworkMode.BRIDGE;
        }
    }

    private static List<PortMapping> ports(JsonNode bindings) {
        List<PortMapping> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : bindings.properties()) {
            String[] key = entry.getKey().split("/", 2);
            out.addAll(each(entry.getValue(), b -> {
                Protocol protocol = key.length > 1 ? Protocol.forName(key[1]).orElse(Protocol.TCP) : Protocol.TCP;
                String hostIp = b.path("HostIp").asText("");
                String hostPort = b.path("HostPort").asText("");
                int dash = hostPort.indexOf('-');
                int start = hostPort.isEmpty() ? 0 : Integer.parseInt(dash < 0 ? hostPort : hostPort.substring(0, dash));
                int end = dash < 0 ? start : Integer.parseInt(hostPort.substring(dash + 1));
                return new PortMapping(hostIp.isEmpty() ? PortMapping.ANY_ADDRESS : hostIp, start, end,
                        Integer.parseInt(key[0]), protocol);
            }));
        }
        return out;
    }

    private static RestartPolicy restartPolicy(JsonNode n) {
        RestartPolicy.Kind kind = RestartPolicy.Kind.forName(n.path("Name").asText("")).orElse(RestartPolicy.Kind.NO);
        return new RestartPolicy(kind, Math.max(0, n.path("MaximumRetryCount").asInt()), Duration.ZERO);
    }

    private static LogConfig log(JsonNode n) {
        String driver = n.path("Type").asText("");
        Map<String, String> options = stringMap(n.path("Config"));
        LogConfig base = new LogConfig(driver.isBlank() ? LogConfig.JSON_FILE : driver, 0, Optional.empty(),
                LogConfig.Mode.BLOCKING, Optional.empty(), Map.of());
        try {
            return base.withDockerOptions(options);
        } catch (IllegalArgumentException e) {
            return base.withOptions(options);
        }
    }

    /** Resources from HostConfig; zero or negative values are the engine's "no limit". */
    static Resources resources(JsonNode host) {
        Optional<ByteSize> memory = positive(host.path("Memory").asLong());
        Optional<ByteSize> reservation = positive(host.path("MemoryReservation").asLong());
        long swapBytes = host.path("MemorySwap").asLong();
        Optional<ByteSize> swap = memory.isPresent() ? positive(swapBytes) : Optional.empty();
        Optional<BigDecimal> cpus = cpus(host);
        Optional<Gpus> gpus = gpus(host.path("DeviceRequests"));
        Resources full;
        try {
            full = new Resources(memory, reservation, swap, swapBytes < 0, cpus, gpus);
        } catch (IllegalArgumentException inconsistent) {
            // A container made by hand may break Kanto's rules (a reservation above the limit): keep the limits.
            full = new Resources(memory.filter(m -> m.compareTo(Resources.MINIMUM_MEMORY) >= 0), Optional.empty(),
                    Optional.empty(), false, cpus, gpus);
        }
        return defaultSwapAsEmpty(full);
    }

    private static Optional<BigDecimal> cpus(JsonNode host) {
        long nanos = host.path("NanoCpus").asLong();
        BigDecimal value = null;
        if (nanos > 0) {
            value = BigDecimal.valueOf(nanos).divide(NANOS_PER_CPU);
        } else if (host.path("CpuQuota").asLong() > 0 && host.path("CpuPeriod").asLong() > 0) {
            value = BigDecimal.valueOf(host.path("CpuQuota").asLong())
                    .divide(BigDecimal.valueOf(host.path("CpuPeriod").asLong()), 3, RoundingMode.HALF_UP);
        }
        if (value == null) {
            return Optional.empty();
        }
        BigDecimal rounded = value.setScale(3, RoundingMode.HALF_UP).max(new BigDecimal("0.001"));
        return Optional.of(rounded.min(BigDecimal.valueOf(1024)));
    }

    private static Optional<Gpus> gpus(JsonNode requests) {
        for (JsonNode r : requests) {
            boolean gpu = false;
            for (JsonNode set : r.path("Capabilities")) {
                for (JsonNode capability : set) {
                    gpu |= capability.asText().equals("gpu");
                }
            }
            if (!gpu) {
                continue;
            }
            int count = r.path("Count").asInt();
            if (count == -1) {
                return Optional.of(Gpus.ALL);
            }
            int ids = r.path("DeviceIDs").size();
            if (count > 0 || ids > 0) {
                return Optional.of(new Gpus(count > 0 ? count : ids));
            }
        }
        return Optional.empty();
    }

    private static Optional<ByteSize> positive(long bytes) {
        return bytes > 0 ? Optional.of(ByteSize.ofBytes(bytes)) : Optional.empty();
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    static ContainerState state(JsonNode c) {
        JsonNode s = c.path("State");
        ContainerStatus status = ContainerStatus.forName(s.path("Status").asText())
                .orElse(s.path("Running").asBoolean() ? ContainerStatus.RUNNING : ContainerStatus.EXITED);
        return new ContainerState(status, s.path("Pid").asLong(), s.path("ExitCode").asLong(),
                s.path("Error").asText(""), time(s.path("StartedAt")), time(s.path("FinishedAt")),
                s.path("OOMKilled").asBoolean(), c.path("RestartCount").asInt(),
                Health.forName(s.path("Health").path("Status").asText("").toLowerCase(Locale.ROOT)));
    }

    static Optional<Instant> time(JsonNode n) {
        try {
            Instant t = Instant.parse(n.asText(""));
            return t.isAfter(ZERO_TIME) ? Optional.of(t) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // ---- lenient JSON helpers ------------------------------------------------------------------------------------

    /** Maps each element of an array, skipping (and logging at DEBUG) the ones that cannot be read. */
    private static <T> List<T> each(JsonNode array, Function<JsonNode, T> element) {
        List<T> out = new ArrayList<>();
        for (JsonNode n : array) {
            try {
                out.add(element.apply(n));
            } catch (RuntimeException e) {
                LOG.debug("Ignoring {}: {}", n, e.getMessage());
            }
        }
        return out;
    }

    static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

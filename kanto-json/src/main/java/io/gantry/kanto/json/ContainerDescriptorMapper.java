package io.gantry.kanto.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Kanto's snake_case container JSON (reference/kanto-cua.md §6.2: {@code container_name}, {@code image.name},
 * {@code host_config…}) to and from {@link ContainerSpec}: the artifact a SoftwareUpdatable {@code install}
 * downloads, and the format of container descriptor files.
 *
 * <p>Durations ({@code retry_timeout}) are seconds, as Kanto's documentation says; because Kanto's code wrote
 * nanoseconds, a value of 10^9 or more is read as nanoseconds, and a Go duration string ({@code "30s"}) is read
 * too. Enums are Kanto's runtime spellings ({@code unless-stopped}, {@code json-file}) in any case.
 *
 * <p>Gantry adds a few keys Kanto lacks, so that any spec round-trips: {@code config.entrypoint},
 * {@code config.labels}, {@code mount_points[].read_only}, {@code host_config.resources.cpus} and {@code .gpus},
 * and {@code host_config.log_config.driver_config.options}. Kanto's {@code container_id} is ignored (the engine
 * assigns ids) and so is a containerd {@code runtime} name ({@code io.containerd.…}).
 */
public final class ContainerDescriptorMapper {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final BigDecimal NANOS_THRESHOLD = BigDecimal.valueOf(1_000_000_000L);

    private ContainerDescriptorMapper() {
    }

    /**
     * Reads a descriptor document and checks it as Kanto does before creating a container.
     *
     * @throws DescriptorException {@link DescriptorException.Kind#WRONG_TYPE} when it is not JSON or a value has
     *     the wrong type, {@link DescriptorException.Kind#INVALID_VALUE} when a value is not acceptable
     */
    public static ContainerSpec parse(byte[] json) {
        JsonNode root = JsonInput.read(json);
        if (root == null || !root.isObject()) {
            throw new DescriptorException(DescriptorException.Kind.WRONG_TYPE, "", "expected a JSON object", null);
        }
        return fromJson(root);
    }

    /** Reads a descriptor object; see {@link #parse}. */
    public static ContainerSpec fromJson(JsonNode node) {
        JsonInput root = JsonInput.of(node, "").requireObject();
        JsonInput image = root.field("image");
        String imageName = image.field("name").string("");
        if (imageName.isBlank()) {
            throw image.field("name").invalid("the containers image configuration is invalid: the image name is empty");
        }
        ContainerSpec.Builder spec = ContainerSpec.builder(image.field("name").build(() -> ImageRef.parse(imageName)));
        SpecParts.refuseUnsupported(root.field("host_config").field("extra_capabilities"),
                image.field("decrypt_config").field("keys"));
        JsonInput name = root.field("container_name");
        name.string().filter(n -> !n.isEmpty()).ifPresent(n -> spec.name(name.build(() -> new ContainerName(n))));
        root.field("domain_name").string().ifPresent(spec::domainname);
        root.field("host_name").string().ifPresent(spec::hostname);
        for (JsonInput m : root.field("mount_points").elements()) {
            JsonInput mode = m.field("propagation_mode");
            Propagation propagation = mode.string().filter(p -> !p.isEmpty())
                    .map(p -> Propagation.forName(p).orElseThrow(() -> mode.invalid(
                            "propagation mode must be set to one of the supported modes"
                                    + " (rprivate, private, rshared, shared, rslave, slave)")))
                    .orElse(Propagation.RPRIVATE);
            spec.addMount(SpecParts.mount(m, m.field("source").string(""), m.field("destination").string(""),
                    propagation, m.field("read_only").bool(false)));
        }
        readConfig(root.field("config"), spec);
        JsonInput io = root.field("io_config");
        io.field("open_stdin").bool().ifPresent(spec::openStdin);
        io.field("tty").bool().ifPresent(spec::tty);
        readHostConfig(root.field("host_config"), spec);
        return root.build(spec::build);
    }

    private static void readConfig(JsonInput config, ContainerSpec.Builder spec) {
        SpecParts.env(config.field("env")).forEach(spec::addEnv);
        spec.cmd(config.field("cmd").strings());
        spec.entrypoint(config.field("entrypoint").strings());
        Map<String, String> labels = config.field("labels").stringMap();
        if (!labels.isEmpty()) {
            config.field("labels").build(() -> ContainerSpec.checkLabels(labels));
            spec.labels(labels);
        }
    }

    private static void readHostConfig(JsonInput host, ContainerSpec.Builder spec) {
        for (JsonInput d : host.field("devices").elements()) {
            spec.addDevice(SpecParts.device(d, d.field("path_on_host").string(""),
                    d.field("path_in_container").string(""), d.field("cgroup_permissions").string("")));
        }
        JsonInput network = host.field("network_mode");
        network.string().filter(n -> !n.isEmpty()).ifPresent(n -> spec.network(network.build(() -> NetworkMode.parse(n))));
        host.field("privileged").bool().ifPresent(spec::privileged);
        JsonInput policy = host.field("restart_policy");
        if (!policy.requireObject().isAbsent()) {
            spec.restartPolicy(SpecParts.restartPolicy(policy, policy.field("type").string(),
                    policy.field("maximum_retry_count").integer().orElse(0), duration(policy.field("retry_timeout"))));
        }
        host.field("runtime").string().filter(r -> !r.isEmpty() && !r.startsWith("io.containerd."))
                .ifPresent(spec::runtime);
        SpecParts.extraHosts(host.field("extra_hosts")).forEach(spec::addExtraHost);
        for (JsonInput p : host.field("port_mappings").elements()) {
            p.requireObject();
            spec.addPort(SpecParts.port(p, p.field("proto"), SpecParts.portNumber(p.field("host_port")),
                    SpecParts.portNumber(p.field("host_port_end")), SpecParts.portNumber(p.field("container_port")),
                    p.field("host_ip").string("")));
        }
        JsonInput log = host.field("log_config");
        if (!log.requireObject().isAbsent()) {
            JsonInput driver = log.field("driver_config");
            JsonInput mode = log.field("mode_config");
            // root_dir is Kanto's per-container log directory; Docker keeps logs under its own root.
            LogConfig config = SpecParts.log(log, driver.field("type").string(),
                    driver.field("max_files").integer().orElse(0),
                    SpecParts.size(driver.field("max_size"), "max logs size"), mode.field("mode"),
                    SpecParts.size(mode.field("max_buffer_size"), "max buffer size"));
            spec.log(config.withOptions(driver.field("options").stringMap()));
        }
        JsonInput resources = host.field("resources");
        if (!resources.requireObject().isAbsent()) {
            Resources memory = SpecParts.memory(resources, resources.field("memory"),
                    resources.field("memory_reservation"), resources.field("memory_swap"));
            JsonInput cpus = resources.field("cpus");
            Optional<BigDecimal> cpuCount = cpus.isAbsent() ? Optional.empty()
                    : Optional.of(cpus.node().isTextual() ? cpus.build(() -> Resources.parseCpus(cpus.node().textValue()))
                            : cpus.number().orElseThrow());
            JsonInput gpus = resources.field("gpus");
            Optional<Gpus> gpuCount = gpus.isAbsent() ? Optional.empty()
                    : Optional.of(gpus.build(() -> Gpus.parse(gpus.node().asText())));
            spec.resources(resources.build(() -> memory.withCpus(cpuCount).withGpus(gpuCount)));
        }
    }

    private static Duration duration(JsonInput value) {
        if (value.isAbsent()) {
            return Duration.ZERO;
        }
        if (value.node().isTextual()) {
            String text = value.node().textValue();
            return value.build(() -> Durations.parse(text));
        }
        BigDecimal number = value.number().orElseThrow();
        // Kanto's code marshals a Go time.Duration (nanoseconds) while its docs say seconds (kanto-cua §6.2).
        BigDecimal seconds = number.compareTo(NANOS_THRESHOLD) >= 0 ? number.movePointLeft(9) : number;
        return SpecParts.secondsToDuration(value, seconds);
    }

    /** The descriptor of a spec; keys are omitted when empty, zero or false, as Kanto's Go encoder does. */
    public static ObjectNode toJson(ContainerSpec spec) {
        ObjectNode root = JSON.objectNode();
        spec.name().ifPresent(n -> root.put("container_name", n.value()));
        root.putObject("image").put("name", spec.image().text());
        SpecParts.putText(root, "domain_name", spec.domainname());
        SpecParts.putText(root, "host_name", spec.hostname());
        if (!spec.mounts().isEmpty()) {
            ArrayNode mounts = root.putArray("mount_points");
            for (Mount m : spec.mounts()) {
                ObjectNode mount = mounts.addObject().put("destination", m.destination()).put("source", m.source())
                        .put("propagation_mode", m.propagation().wireName());
                if (m.readOnly()) {
                    mount.put("read_only", true);
                }
            }
        }
        ObjectNode config = JSON.objectNode();
        SpecParts.putStrings(config, "env", spec.env().stream().map(EnvVar::toString).toList());
        SpecParts.putStrings(config, "cmd", spec.cmd());
        SpecParts.putStrings(config, "entrypoint", spec.entrypoint());
        putMap(config, "labels", spec.labels());
        putIfNotEmpty(root, "config", config);
        ObjectNode io = JSON.objectNode();
        if (spec.openStdin()) {
            io.put("open_stdin", true);
        }
        if (spec.tty()) {
            io.put("tty", true);
        }
        putIfNotEmpty(root, "io_config", io);
        root.set("host_config", hostConfigJson(spec));
        return root;
    }

    private static ObjectNode hostConfigJson(ContainerSpec spec) {
        ObjectNode host = JSON.objectNode();
        if (!spec.devices().isEmpty()) {
            ArrayNode devices = host.putArray("devices");
            for (DeviceMapping d : spec.devices()) {
                devices.addObject().put("path_on_host", d.pathOnHost()).put("path_in_container", d.pathInContainer())
                        .put("cgroup_permissions", d.cgroupPermissions());
            }
        }
        host.put("network_mode", spec.network().dockerName());
        if (spec.privileged()) {
            host.put("privileged", true);
        }
        RestartPolicy policy = spec.restartPolicy();
        ObjectNode restart = host.putObject("restart_policy").put("type", policy.kind().dockerName());
        if (policy.maxRetries() != 0) {
            restart.put("maximum_retry_count", policy.maxRetries());
        }
        if (!policy.retryTimeout().isZero()) {
            restart.set("retry_timeout", SpecParts.seconds(policy.retryTimeout()));
        }
        SpecParts.putText(host, "runtime", spec.runtime());
        SpecParts.putStrings(host, "extra_hosts", spec.extraHosts().stream().map(ExtraHost::toString).toList());
        if (!spec.ports().isEmpty()) {
            ArrayNode ports = host.putArray("port_mappings");
            for (PortMapping p : spec.ports()) {
                ObjectNode port = ports.addObject().put("proto", p.protocol().wireName())
                        .put("container_port", p.containerPort()).put("host_ip", p.hostIp());
                if (p.hostPort() != 0) {
                    port.put("host_port", p.hostPort());
                }
                if (p.hostPortEnd() != 0) {
                    port.put("host_port_end", p.hostPortEnd());
                }
            }
        }
        host.set("log_config", logJson(spec.log()));
        ObjectNode resources = JSON.objectNode();
        Resources r = spec.resources();
        r.memory().ifPresent(m -> resources.put("memory", m.format()));
        r.memoryReservation().ifPresent(m -> resources.put("memory_reservation", m.format()));
        if (r.unlimitedSwap()) {
            resources.put("memory_swap", "-1");
        } else {
            r.memorySwap().ifPresent(m -> resources.put("memory_swap", m.format()));
        }
        r.cpus().ifPresent(c -> resources.put("cpus", c));
        r.gpus().ifPresent(g -> resources.put("gpus", g.toString()));
        putIfNotEmpty(host, "resources", resources);
        return host;
    }

    private static ObjectNode logJson(LogConfig log) {
        ObjectNode json = JSON.objectNode();
        ObjectNode driver = json.putObject("driver_config").put("type", log.driver());
        if (log.rotates()) {
            if (log.maxFiles() != 0) {
                driver.put("max_files", log.maxFiles());
            }
            log.maxSize().ifPresent(s -> driver.put("max_size", s.format()));
        }
        putMap(driver, "options", log.options());
        ObjectNode mode = json.putObject("mode_config").put("mode", log.mode().dockerName());
        log.maxBufferSize().ifPresent(s -> mode.put("max_buffer_size", s.format()));
        return json;
    }

    private static void putMap(ObjectNode json, String key, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode map = json.putObject(key);
            values.forEach(map::put);
        }
    }

    private static void putIfNotEmpty(ObjectNode json, String key, ObjectNode value) {
        if (!value.isEmpty()) {
            json.set(key, value);
        }
    }
}

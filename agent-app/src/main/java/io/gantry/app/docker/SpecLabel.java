package io.gantry.app.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.ByteSize;
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
import io.gantry.core.container.Protocol;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The spec a container was created from, kept in its label {@value #KEY} as versioned JSON, so that Gantry reports
 * exactly what it asked for rather than what the engine made of it (Docker fills in defaults, resolves extra hosts,
 * forgets Kanto's retry timeout). The name is not stored: the live name is the truth after a rename.
 */
final class SpecLabel {

    static final String KEY = "io.gantry.spec";
    static final int VERSION = 1;
    /** A label written for a spec within the weight bound is well under this (JSON adds keys and escapes). */
    static final long MAX_LENGTH = 8 * ContainerSpec.MAX_WEIGHT;

    private final ObjectMapper json;

    SpecLabel(ObjectMapper json) {
        this.json = json;
    }

    String write(ContainerSpec spec) {
        ObjectNode root = json.createObjectNode();
        root.put("version", VERSION);
        root.put("image", spec.image().text());
        strings(root.putArray("cmd"), spec.cmd());
        strings(root.putArray("entrypoint"), spec.entrypoint());
        strings(root.putArray("env"), spec.env().stream().map(EnvVar::toString).toList());
        root.put("hostname", spec.hostname());
        root.put("domainname", spec.domainname());
        ArrayNode mounts = root.putArray("mounts");
        for (Mount m : spec.mounts()) {
            mounts.addObject().put("source", m.source()).put("destination", m.destination())
                    .put("propagation", m.propagation().wireName()).put("read_only", m.readOnly());
        }
        ArrayNode devices = root.putArray("devices");
        for (DeviceMapping d : spec.devices()) {
            devices.addObject().put("path_on_host", d.pathOnHost()).put("path_in_container", d.pathInContainer())
                    .put("cgroup_permissions", d.cgroupPermissions());
        }
        root.put("privileged", spec.privileged());
        root.putObject("network").put("kind", spec.network().kind().name()).put("target", spec.network().target());
        ArrayNode ports = root.putArray("ports");
        for (PortMapping p : spec.ports()) {
            ports.addObject().put("host_ip", p.hostIp()).put("host_port", p.hostPort())
                    .put("host_port_end", p.hostPortEnd()).put("container_port", p.containerPort())
                    .put("protocol", p.protocol().wireName());
        }
        strings(root.putArray("extra_hosts"), spec.extraHosts().stream().map(ExtraHost::toString).toList());
        root.putObject("restart_policy").put("type", spec.restartPolicy().kind().dockerName())
                .put("maximum_retry_count", spec.restartPolicy().maxRetries())
                .put("retry_timeout", spec.restartPolicy().retryTimeout().toString());
        LogConfig log = spec.log();
        ObjectNode logNode = root.putObject("log").put("driver", log.driver()).put("max_files", log.maxFiles())
                .put("mode", log.mode().dockerName());
        log.maxSize().ifPresent(s -> putSize(logNode, "max_size", s));
        log.maxBufferSize().ifPresent(s -> putSize(logNode, "max_buffer_size", s));
        ObjectNode options = logNode.putObject("options");
        log.options().forEach(options::put);
        Resources r = spec.resources();
        ObjectNode resources = root.putObject("resources").put("unlimited_swap", r.unlimitedSwap());
        r.memory().ifPresent(m -> putSize(resources, "memory", m));
        r.memoryReservation().ifPresent(m -> putSize(resources, "memory_reservation", m));
        r.memorySwap().ifPresent(m -> putSize(resources, "memory_swap", m));
        r.cpus().ifPresent(c -> resources.put("cpus", c.toPlainString()));
        r.gpus().ifPresent(g -> resources.put("gpus", g.count()));
        root.put("runtime", spec.runtime());
        ObjectNode labels = root.putObject("labels");
        spec.labels().forEach(labels::put);
        root.put("tty", spec.tty());
        root.put("open_stdin", spec.openStdin());
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a spec label", e);
        }
    }

    /**
     * Reads a label this class wrote. Empty when the label is missing, of another version, damaged (someone
     * edited it by hand) or longer than any spec within {@link ContainerSpec#MAX_WEIGHT} could make: the caller then
     * derives the spec from what the engine reports.
     */
    Optional<ContainerSpec> read(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            JsonNode root = json.readTree(text);
            if (root.path("version").asInt() != VERSION) {
                return Optional.empty();
            }
            return Optional.of(spec(root));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ContainerSpec spec(JsonNode root) {
        ContainerSpec.Builder b = ContainerSpec.builder(ImageRef.parse(text(root, "image")))
                .cmd(strings(root.get("cmd")))
                .entrypoint(strings(root.get("entrypoint")))
                .env(map(root.get("env"), n -> EnvVar.fromEngine(n.asText())))
                .hostname(text(root, "hostname"))
                .domainname(text(root, "domainname"))
                .mounts(map(root.get("mounts"), n -> new Mount(text(n, "source"), text(n, "destination"),
                        Propagation.forName(text(n, "propagation")).orElseThrow(), n.get("read_only").asBoolean())))
                .devices(map(root.get("devices"), n -> new DeviceMapping(text(n, "path_on_host"),
                        text(n, "path_in_container"), text(n, "cgroup_permissions"))))
                .privileged(root.get("privileged").asBoolean())
                .network(new NetworkMode(NetworkMode.Kind.valueOf(text(root.get("network"), "kind")),
                        text(root.get("network"), "target")))
                .ports(map(root.get("ports"), n -> new PortMapping(text(n, "host_ip"), n.get("host_port").asInt(),
                        n.get("host_port_end").asInt(), n.get("container_port").asInt(),
                        Protocol.forName(text(n, "protocol")).orElseThrow())))
                .extraHosts(map(root.get("extra_hosts"), n -> ExtraHost.parse(n.asText())))
                .restartPolicy(restartPolicy(root.get("restart_policy")))
                .log(log(root.get("log")))
                .resources(resources(root.get("resources")))
                .runtime(text(root, "runtime"))
                .labels(stringMap(root.get("labels")))
                .tty(root.get("tty").asBoolean())
                .openStdin(root.get("open_stdin").asBoolean());
        return b.buildAsReported();
    }

    private static RestartPolicy restartPolicy(JsonNode n) {
        return new RestartPolicy(RestartPolicy.Kind.forName(text(n, "type")).orElseThrow(),
                n.get("maximum_retry_count").asInt(), Duration.parse(text(n, "retry_timeout")));
    }

    private static LogConfig log(JsonNode n) {
        return new LogConfig(text(n, "driver"), n.get("max_files").asInt(), bytes(n, "max_size"),
                LogConfig.Mode.forName(text(n, "mode")).orElseThrow(), bytes(n, "max_buffer_size"),
                stringMap(n.get("options")));
    }

    private static Resources resources(JsonNode n) {
        return new Resources(bytes(n, "memory"), bytes(n, "memory_reservation"), bytes(n, "memory_swap"),
                n.get("unlimited_swap").asBoolean(),
                n.hasNonNull("cpus") ? Optional.of(new BigDecimal(n.get("cpus").asText())) : Optional.empty(),
                n.hasNonNull("gpus") ? Optional.of(new Gpus(n.get("gpus").asInt())) : Optional.empty());
    }

    /** A size as it was written ({@code "300m"}, so the inventory echoes it as Kanto does), else its bytes. */
    private static void putSize(ObjectNode n, String field, ByteSize size) {
        if (size.written().isEmpty()) {
            n.put(field, size.bytes());
        } else {
            n.put(field, size.written());
        }
    }

    /** Bytes, or the text of a size as written; labels written before sizes kept their text hold bytes. */
    private static Optional<ByteSize> bytes(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            return Optional.empty();
        }
        JsonNode value = n.get(field);
        return Optional.of(value.isTextual() ? ByteSize.parse(value.asText()) : ByteSize.ofBytes(value.asLong()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode value = n.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("spec label field " + field + " is missing");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array) {
        return map(array, JsonNode::asText);
    }

    private static <T> List<T> map(JsonNode array, Function<JsonNode, T> element) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("spec label list is missing");
        }
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(element.apply(n)));
        return out;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        if (object != null) {
            object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

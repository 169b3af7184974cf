package io.gantry.app.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the Engine API request bodies for {@code POST /containers/create} and {@code POST /containers/{id}/update}
 * from domain records (Engine API 1.41, ContainerConfig and HostConfig).
 */
final class CreateBody {

    private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

    private final ObjectMapper json;
    private final SpecLabel specLabel;

    CreateBody(ObjectMapper json, SpecLabel specLabel) {
        this.json = json;
        this.specLabel = specLabel;
    }

    /**
     * The create body for {@code spec}. {@code extraHostAddress} resolves the address part of an extra host, since
     * Kanto's reserved forms ({@code host_ip}, {@code host_ip_<if>}, {@code container_<name>}) mean something only
     * at create time.
     */
    ObjectNode create(ContainerSpec spec, Map<String, String> gantryLabels,
                      Function<ExtraHost, String> extraHostAddress) {
        ObjectNode body = json.createObjectNode();
        body.put("Image", spec.image().text());
        if (!spec.cmd().isEmpty()) {
            strings(body.putArray("Cmd"), spec.cmd());
        }
        if (!spec.entrypoint().isEmpty()) {
            strings(body.putArray("Entrypoint"), spec.entrypoint());
        }
        strings(body.putArray("Env"), spec.env().stream().map(EnvVar::toString).toList());
        if (!spec.hostname().isEmpty()) {
            body.put("Hostname", spec.hostname());
        }
        if (!spec.domainname().isEmpty()) {
            body.put("Domainname", spec.domainname());
        }
        body.put("Tty", spec.tty());
        body.put("OpenStdin", spec.openStdin());
        ObjectNode labels = body.putObject("Labels");
        spec.labels().forEach(labels::put);
        gantryLabels.forEach(labels::put);
        labels.put(Container.MANAGED_LABEL, "true");
        labels.put(SpecLabel.KEY, specLabel.write(spec));

        ObjectNode host = body.putObject("HostConfig");
        strings(host.putArray("Binds"), spec.mounts().stream().map(CreateBody::bind).toList());
        ArrayNode devices = host.putArray("Devices");
        for (DeviceMapping d : spec.devices()) {
            devices.addObject().put("PathOnHost", d.pathOnHost()).put("PathInContainer", d.pathInContainer())
                    .put("CgroupPermissions", d.cgroupPermissions());
        }
        host.put("Privileged", spec.privileged());
        host.put("NetworkMode", spec.network().dockerName());
        if (spec.network().kind() == NetworkMode.Kind.NAMED) {
            body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(spec.network().target());
        }
        ObjectNode exposed = body.putObject("ExposedPorts");
        ObjectNode bindings = host.putObject("PortBindings");
        for (PortMapping p : spec.ports()) {
            String key = p.containerPort() + "/" + p.protocol().wireName();
            exposed.putObject(key);
            ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
            list.addObject().put("HostIp", p.hostIp().equals(PortMapping.ANY_ADDRESS) ? "" : p.hostIp())
                    .put("HostPort", hostPort(p));
        }
        strings(host.putArray("ExtraHosts"),
                spec.extraHosts().stream().map(h -> h.hostname() + ":" + extraHostAddress.apply(h)).toList());
        restartPolicy(host, spec.restartPolicy());
        ObjectNode log = host.putObject("LogConfig").put("Type", spec.log().driver());
        ObjectNode logOptions = log.putObject("Config");
        spec.log().dockerOptions().forEach(logOptions::put);
        resources(host, spec.resources());
        spec.resources().gpus().ifPresent(g -> {
            ObjectNode request = host.putArray("DeviceRequests").addObject().put("Driver", "nvidia")
                    .put("Count", g.count());
            request.putArray("Capabilities").addArray().add("gpu");
        });
        if (!spec.runtime().isEmpty()) {
            host.put("Runtime", spec.runtime());
        }
        return body;
    }

    /**
     * The update body. {@code current} is the container's reported spec: Docker ignores a zero limit in an update,
     * so a limit cannot be removed in place, and a new memory limit needs the swap limit set with it.
     */
    ObjectNode update(ContainerUpdate update, ContainerSpec current) {
        ObjectNode body = json.createObjectNode();
        update.restartPolicy().ifPresent(p -> restartPolicy(body, p));
        update.resources().ifPresent(wanted -> {
            Resources now = current.resources();
            refuseRemoval(current, "memory limit", now.memory().isPresent() && wanted.memory().isEmpty());
            refuseRemoval(current, "memory reservation", now.memoryReservation().isPresent()
                    && wanted.memoryReservation().isEmpty());
            refuseRemoval(current, "CPU limit", now.cpus().isPresent() && wanted.cpus().isEmpty());
            resources(body, wanted);
            wanted.memory().ifPresent(m -> {
                if (!wanted.unlimitedSwap() && wanted.memorySwap().isEmpty()) {
                    // The engine's default for a new container is twice the memory; an update must say so.
                    body.put("MemorySwap", 2 * m.bytes());
                }
            });
        });
        return body;
    }

    private static void refuseRemoval(ContainerSpec current, String what, boolean removed) {
        if (removed) {
            throw new ContainerConflictException("the " + what + " of container "
                    + current.name().map(Object::toString).orElse("?")
                    + " cannot be removed in place; recreate the container", null);
        }
    }

    private static void restartPolicy(ObjectNode target, RestartPolicy policy) {
        target.putObject("RestartPolicy").put("Name", policy.kind().dockerName())
                .put("MaximumRetryCount", policy.maxRetries());
    }

    private static void resources(ObjectNode target, Resources r) {
        r.memory().ifPresent(m -> target.put("Memory", m.bytes()));
        r.memoryReservation().ifPresent(m -> target.put("MemoryReservation", m.bytes()));
        if (r.unlimitedSwap()) {
            target.put("MemorySwap", -1L);
        } else {
            r.memorySwap().map(ByteSize::bytes).ifPresent(s -> target.put("MemorySwap", s));
        }
        r.cpus().ifPresent(c -> target.put("NanoCpus", c.multiply(NANOS_PER_CPU).longValueExact()));
    }

    /** Docker's bind syntax: {@code src:dst[:ro][,propagation]}; a named volume takes no propagation. */
    static String bind(Mount m) {
        StringBuilder out = new StringBuilder(m.source()).append(':').append(m.destination());
        String options = m.readOnly() ? "ro" : "";
        if (!m.isVolume() && m.propagation() != Propagation.RPRIVATE) {
            options = options.isEmpty() ? m.propagation().wireName() : options + "," + m.propagation().wireName();
        }
        return options.isEmpty() ? out.toString() : out.append(':').append(options).toString();
    }

    private static String hostPort(PortMapping p) {
        if (p.hostPort() == 0) {
            return "";
        }
        return p.isRange() ? p.hostPort() + "-" + p.hostPortEnd() : Integer.toString(p.hostPort());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}

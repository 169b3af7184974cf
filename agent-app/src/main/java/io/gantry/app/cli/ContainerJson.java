package io.gantry.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.ByteSize;
import io.gantry.config.Durations;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON that {@code --output json} prints for a container: snake_case keys, compound values in the forms an
 * operator types ({@code 127.0.0.1:8080:80/tcp}, {@code 512M}), absent values as {@code null}.
 */
public final class ContainerJson {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ContainerJson() {
    }

    static String print(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    public static ObjectNode of(Container c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", c.id().value());
        node.put("name", c.name().value());
        node.put("image", c.image().text());
        node.put("image_id", c.imageId());
        node.put("managed", c.managed());
        node.put("created", c.createdAt().toString());
        ContainerState s = c.state();
        ObjectNode state = node.putObject("state");
        state.put("status", s.status().dockerName());
        state.put("pid", s.pid());
        state.put("exit_code", s.exitCode());
        state.put("error", s.error());
        state.put("started_at", s.startedAt().map(Instant::toString).orElse(null));
        state.put("finished_at", s.finishedAt().map(Instant::toString).orElse(null));
        state.put("oom_killed", s.oomKilled());
        state.put("restart_count", s.restartCount());
        state.put("health", s.health().name().toLowerCase(java.util.Locale.ROOT));
        node.set("spec", spec(c.spec()));
        map(node.putObject("gantry_labels"), c.gantryLabels());
        return node;
    }

    public static ObjectNode spec(ContainerSpec spec) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", spec.name().map(Object::toString).orElse(null));
        node.put("image", spec.image().text());
        strings(node.putArray("cmd"), spec.cmd());
        strings(node.putArray("entrypoint"), spec.entrypoint());
        strings(node.putArray("env"), spec.env());
        node.put("hostname", spec.hostname());
        node.put("domainname", spec.domainname());
        strings(node.putArray("mounts"), spec.mounts());
        strings(node.putArray("devices"), spec.devices());
        node.put("privileged", spec.privileged());
        node.put("network", spec.network().dockerName());
        strings(node.putArray("ports"), spec.ports());
        strings(node.putArray("extra_hosts"), spec.extraHosts());
        node.putObject("restart_policy").put("type", spec.restartPolicy().kind().dockerName())
                .put("max_retries", spec.restartPolicy().maxRetries())
                .put("retry_timeout", Durations.format(spec.restartPolicy().retryTimeout()));
        LogConfig log = spec.log();
        ObjectNode logNode = node.putObject("log").put("driver", log.driver()).put("max_files", log.maxFiles())
                .put("max_size", log.maxSize().map(ByteSize::format).orElse(null))
                .put("mode", log.mode().dockerName())
                .put("max_buffer_size", log.maxBufferSize().map(ByteSize::format).orElse(null));
        map(logNode.putObject("options"), log.options());
        Resources r = spec.resources();
        node.putObject("resources")
                .put("memory", size(r.memory()))
                .put("memory_reservation", size(r.memoryReservation()))
                .put("memory_swap", r.unlimitedSwap() ? "-1" : size(r.memorySwap()))
                .put("cpus", r.cpus().map(c -> c.toPlainString()).orElse(null))
                .put("gpus", r.gpus().map(Object::toString).orElse(null));
        node.put("runtime", spec.runtime());
        map(node.putObject("labels"), spec.labels());
        node.put("tty", spec.tty());
        node.put("interactive", spec.openStdin());
        return node;
    }

    private static String size(Optional<ByteSize> size) {
        return size.map(ByteSize::format).orElse(null);
    }

    private static void strings(ArrayNode array, List<?> values) {
        values.forEach(v -> array.add(v.toString()));
    }

    private static void map(ObjectNode node, Map<String, String> values) {
        values.forEach(node::put);
    }
}

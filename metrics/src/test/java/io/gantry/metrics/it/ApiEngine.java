package io.gantry.metrics.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerNotFoundException;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineInfo;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.Health;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.LogSink;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PullEvent;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Consumer;

/**
 * A test-only {@link ContainerEngine} that reads containers and their statistics straight from the Engine API
 * (API 1.41, one-shot statistics, as the Docker adapter does), for the metrics ITs and benchmark until the Docker
 * adapter is on this branch. It only reads: list, inspect, stats and info; it sends no events, and {@code visible}
 * limits what it lists to the test's own containers.
 */
public final class ApiEngine implements ContainerEngine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnixHttp http = new UnixHttp(Path.of("/var/run/docker.sock"));
    private final Predicate<String> visible;

    /** @param visible which container names (without {@code /}) {@link #list()} returns */
    public ApiEngine(Predicate<String> visible) {
        this.visible = visible;
    }

    private JsonNode get(String path) {
        try {
            return JSON.readTree(http.get("/v1.41" + path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public EngineInfo info() {
        JsonNode i = get("/info");
        return new EngineInfo(i.path("ServerVersion").asText(), "1.41", i.path("OSType").asText(),
                i.path("Architecture").asText(), i.path("CgroupVersion").asText(), i.path("CgroupDriver").asText(),
                i.path("NCPU").asInt(), i.path("MemTotal").asLong(), i.path("Driver").asText());
    }

    @Override
    public List<Container> list() {
        List<Container> out = new ArrayList<>();
        for (JsonNode c : get("/containers/json?all=1")) {
            String name = c.path("Names").path(0).asText().substring(1);
            if (visible.test(name)) {
                inspect(ContainerId.of(c.path("Id").asText())).ifPresent(out::add);
            }
        }
        return out;
    }

    @Override
    public Optional<Container> inspect(ContainerId id) {
        JsonNode c;
        try {
            c = get("/containers/" + id.value() + "/json");
        } catch (UnixHttp.NotFound e) {
            return Optional.empty();
        }
        ContainerName name = ContainerName.parse(c.path("Name").asText());
        ImageRef image = ImageRef.parse(c.path("Config").path("Image").asText());
        JsonNode s = c.path("State");
        ContainerStatus status = ContainerStatus.forName(s.path("Status").asText()).orElse(ContainerStatus.DEAD);
        ContainerState state = new ContainerState(status, s.path("Pid").asLong(), s.path("ExitCode").asLong(), "",
                Optional.empty(), Optional.empty(), false, 0, Health.NONE);
        ContainerSpec spec = ContainerSpec.builder(image).name(name)
                .network(NetworkMode.parse(c.path("HostConfig").path("NetworkMode").asText()))
                .buildAsReported();
        return Optional.of(new Container(ContainerId.of(c.path("Id").asText()), name, image,
                c.path("Image").asText(), spec, state, Instant.EPOCH, false, Map.of()));
    }

    @Override
    public ContainerStats stats(ContainerId id) {
        JsonNode s;
        try {
            s = get("/containers/" + id.value() + "/stats?stream=false&one-shot=true");
        } catch (UnixHttp.NotFound e) {
            throw new ContainerNotFoundException(id.value(), null);
        }
        JsonNode cpu = s.path("cpu_stats");
        JsonNode memory = s.path("memory_stats");
        long usage = memory.path("usage").asLong();
        JsonNode ms = memory.path("stats");
        long inactive = ms.has("total_inactive_file") ? ms.path("total_inactive_file").asLong()
                : ms.path("inactive_file").asLong();
        long read = 0;
        long write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText().toLowerCase(Locale.ROOT);
            if (op.equals("read")) {
                read += e.path("value").asLong();
            } else if (op.equals("write")) {
                write += e.path("value").asLong();
            }
        }
        long rx = 0;
        long tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        Instant readAt = s.hasNonNull("read") ? Instant.parse(s.path("read").asText()) : Instant.now();
        return new ContainerStats(id, readAt, cpu.path("cpu_usage").path("total_usage").asLong(),
                cpu.path("system_cpu_usage").asLong(), cpu.path("online_cpus").asInt(),
                inactive < usage ? usage - inactive : usage, memory.path("limit").asLong(), read, write, rx, tx,
                s.path("pids_stats").path("current").asLong());
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return () -> { };
    }

    @Override
    public Optional<Container> find(String nameOrId) {
        throw unsupported();
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        throw unsupported();
    }

    @Override
    public void start(ContainerId id) {
        throw unsupported();
    }

    @Override
    public void stop(ContainerId id, StopOptions options) {
        throw unsupported();
    }

    @Override
    public void pause(ContainerId id) {
        throw unsupported();
    }

    @Override
    public void resume(ContainerId id) {
        throw unsupported();
    }

    @Override
    public void rename(ContainerId id, ContainerName newName) {
        throw unsupported();
    }

    @Override
    public void update(ContainerId id, ContainerUpdate update) {
        throw unsupported();
    }

    @Override
    public void remove(ContainerId id, boolean force) {
        throw unsupported();
    }

    @Override
    public void logs(ContainerId id, LogOptions options, LogSink sink) {
        throw unsupported();
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        throw unsupported();
    }

    @Override
    public Optional<io.gantry.core.image.ImageFacts> imageFacts(ImageRef image) {
        throw unsupported();
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the metrics tests' engine only reads");
    }
}

package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.gantry.config.AgentConfig;
import io.gantry.core.time.TimeSync;
import io.gantry.core.time.TimeSyncSource;
import io.gantry.config.Durations;
import io.gantry.config.EngineConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.image.ImageFacts;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.EngineInfo;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.LogSink;
import io.gantry.core.container.PullEvent;
import io.gantry.core.container.Signals;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import io.gantry.core.image.ImageStore;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ContainerEngine} port on Docker Engine API 1.41 through docker-java 3.7 and its httpclient5 transport
 * (reference/dependencies.md §4a). docker-java types never leave this package.
 *
 * <p>Engine settings ({@code engine.*}) are read once, at construction; registry credentials are read from the
 * configuration supplier at every pull, so a reloaded configuration applies to the next one. Nothing talks to the
 * engine before the first call. Every call has a deadline ({@code engine.api_timeout}; a stop also its stop
 * timeout), failures are {@code EngineException}s translated in {@link DockerCalls}, and the event stream survives
 * the engine going away ({@link EventStream}). Podman's Docker API is served by the same adapter: what it answers
 * differently is evened out here, in {@link DockerApi} and in {@link ExpectedStops} (docs/engines.md).
 */
public final class DockerContainerEngine implements ContainerEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerEngine.class);
    /** How long a forced removal waits, at most, for a container that Podman reports as exiting. */
    private static final int EXIT_RETRIES = 20;
    private static final Duration EXIT_RETRY_PAUSE = Duration.ofMillis(100);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final Duration STOP_POLL = Duration.ofMillis(100);
    /** What a container name or id may look like; anything else cannot name a container (and must not reach a URL). */
    private static final Pattern REFERENCE = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    private final EngineConfig engine;
    private final DockerHttpClient http;
    private final DockerClient docker;
    private final DockerApi api;
    private final DockerCalls calls;
    private final CreateBody createBody;
    private final InspectReader reader;
    private final EventStream events;
    private final ImagePuller puller;
    private final ExpectedStops expected = new ExpectedStops();
    private final DockerImageStore images;
    private final Supplier<AgentConfig> config;

    public DockerContainerEngine(Supplier<AgentConfig> config) {
        this(config, () -> TimeSync.unknown("not asked"));
    }

    /**
     * @param timeSync the clock's "time good" status: a pull that fails TLS verification while it says the clock is
     *                 not synchronised says so in its error (docs/operations.md, "Time good")
     */
    public DockerContainerEngine(Supplier<AgentConfig> config, TimeSyncSource timeSync) {
        this(config, HEARTBEAT, timeSync);
    }

    DockerContainerEngine(Supplier<AgentConfig> config, Duration heartbeat) {
        this(config, heartbeat, () -> TimeSync.unknown("not asked"));
    }

    private DockerContainerEngine(Supplier<AgentConfig> config, Duration heartbeat, TimeSyncSource timeSync) {
        this.config = config;
        this.engine = config.get().engine();
        URI host = hostUri(engine.host());
        DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString())
                // Unversioned paths: the engine answers with its own API version. Never pin one above 1.41
                // (Debian 12's docker.io), reference/dependencies.md pitfall 5.
                .withApiVersion(RemoteApiVersion.UNKNOWN_VERSION)
                .build();
        // No response timeout: it would cut the event stream and followed logs on tcp:// and is not enforced on
        // unix sockets anyway (pitfall 2); DockerCalls puts a deadline on every call instead.
        this.http = new ApacheDockerHttpClient.Builder().dockerHost(clientConfig.getDockerHost())
                .sslConfig("unix".equals(host.getScheme()) ? UnixSocketTls.INSTANCE : clientConfig.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(engine.connectTimeout()).build();
        this.docker = DockerClientImpl.getInstance(clientConfig, http);
        ObjectMapper json = new ObjectMapper();
        this.api = new DockerApi(http, json);
        this.calls = new DockerCalls(engine.host(), engine.apiTimeout());
        SpecLabel specLabel = new SpecLabel(json);
        this.createBody = new CreateBody(json, specLabel);
        this.reader = new InspectReader(specLabel);
        this.events = new EventStream(api, calls, json, heartbeat, expected);
        this.images = new DockerImageStore(api, calls, config);
        this.puller = new ImagePuller(docker, calls, config,
                new InsecureRegistries(() -> calls.run("info", null, () -> api.get("/info"))), timeSync);
    }

    private static URI hostUri(String host) {
        try {
            URI uri = URI.create(host);
            if (uri.getScheme() != null && List.of("unix", "tcp").contains(uri.getScheme())) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("engine host \"" + host
                + "\" is not a unix:///path/to/docker.sock or tcp://host:port URL");
    }

    /** The engine URL this adapter talks to, as configured. */
    public String url() {
        return engine.host();
    }

    @Override
    public EngineInfo info() {
        return calls.run("info", null, () -> {
            JsonNode info = api.get("/info");
            JsonNode version = api.get("/version");
            return new EngineInfo(version.path("Version").asText(info.path("ServerVersion").asText("")),
                    version.path("ApiVersion").asText(""), version.path("Os").asText(info.path("OSType").asText("")),
                    version.path("Arch").asText(info.path("Architecture").asText("")),
                    info.path("CgroupVersion").asText("1"), info.path("CgroupDriver").asText(""),
                    info.path("NCPU").asInt(), info.path("MemTotal").asLong(), info.path("Driver").asText(""));
        });
    }

    @Override
    public List<Container> list() {
        return calls.run("list containers", null, () -> {
            List<Container> out = new ArrayList<>();
            for (JsonNode summary : api.get("/containers/json?all=1")) {
                readContainer(summary.path("Id").asText()).ifPresent(out::add);
            }
            return Collections.unmodifiableList(out);
        });
    }

    @Override
    public Optional<Container> inspect(ContainerId id) {
        return calls.run("inspect", id.value(), () -> readContainer(id.value()));
    }

    @Override
    public Optional<Container> find(String nameOrId) {
        String reference = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        if (!REFERENCE.matcher(reference).matches()) {
            return Optional.empty();
        }
        return calls.run("find " + reference, reference, () -> readContainer(reference));
    }

    private Optional<Container> readContainer(String reference) {
        return inspectRaw(reference).map(reader::read);
    }

    /** Inspects by name, id or id prefix; empty when the engine knows no such (unique) container. */
    private Optional<JsonNode> inspectRaw(String reference) {
        if (!REFERENCE.matcher(reference).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(api.get("/containers/" + DockerApi.encode(reference) + "/json"));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (DockerException e) {
            // "Multiple IDs found with provided prefix" is not an error for a lookup: no unique container.
            if (e.getHttpStatus() / 100 == 4 && DockerCalls.engineMessage(e).contains("Multiple")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        spec.validated();
        for (String key : gantryLabels.keySet()) {
            if (!key.startsWith(ContainerSpec.GANTRY_LABEL_PREFIX)) {
                throw new IllegalArgumentException("not a Gantry label: " + key + " (keys start with "
                        + ContainerSpec.GANTRY_LABEL_PREFIX + ")");
            }
        }
        Map<ExtraHost, String> addresses = new HashMap<>();
        for (ExtraHost h : spec.extraHosts()) {
            addresses.put(h, extraHostAddress(h));
        }
        ObjectNode body = createBody.create(spec, gantryLabels, addresses::get);
        String pinned = gantryLabels.get(ContainerSpec.PINNED_IMAGE_LABEL);
        if (pinned != null) {
            body.put("Image", pinned); // the verified digest; the spec label keeps the image as the spec names it
        }
        String what = "create " + spec.name().map(ContainerName::value).orElse("a container of " + spec.image());
        String path = "/containers/create" + spec.name().map(n -> "?name=" + DockerApi.encode(n.value())).orElse("");
        JsonNode answer = calls.run(what, null, () -> api.post(path, body));
        for (JsonNode warning : answer.path("Warnings")) {
            LOG.warn("Engine warning for {}: {}", what, warning.asText());
        }
        ContainerId id = ContainerId.of(answer.path("Id").asText());
        LOG.debug("Created container {} ({})", id.shortForm(), what);
        return id;
    }

    /** Resolves Kanto's reserved extra-host addresses (reference/kanto-cua.md §2.3, key {@code host}). */
    private String extraHostAddress(ExtraHost host) {
        if (host.usesHostIp()) {
            // host_ip: the host as seen from the container, which Docker calls host-gateway (Engine 20.10+).
            return host.hostInterface().map(i -> interfaceAddress(host, i)).orElse("host-gateway");
        }
        Optional<String> container = host.containerReference();
        if (container.isEmpty()) {
            return host.address();
        }
        String reference = container.get();
        JsonNode inspected = calls.run("resolve " + host, reference, () -> referencedContainer(reference)
                .orElseThrow(() -> new EngineFailureException("extra host " + host + ": no container has the host"
                        + " name or name " + reference, null)));
        JsonNode settings = inspected.path("NetworkSettings");
        String ip = settings.path("IPAddress").asText("");
        for (Iterator<JsonNode> networks = settings.path("Networks").elements(); ip.isEmpty() && networks.hasNext(); ) {
            ip = networks.next().path("IPAddress").asText("");
        }
        if (ip.isEmpty()) {
            throw new EngineFailureException("extra host " + host + ": container "
                    + inspected.path("Name").asText(reference).replaceFirst("^/", "")
                    + " has no IP address (is it running?)", null);
        }
        return ip;
    }

    /**
     * The container {@code container_<x>} names: the one whose host name is {@code x}, as in Kanto, else the one named
     * {@code x}. Kanto's default host name is {@code <name>-host}, so that container is inspected first, and only when
     * it misses are the running containers searched. Runs on a call thread.
     */
    private Optional<JsonNode> referencedContainer(String reference) {
        Predicate<JsonNode> hostNamed = c -> c.path("Config").path("Hostname").asText("").equals(reference);
        if (reference.endsWith(ContainerSpec.DEFAULT_HOSTNAME_SUFFIX)) {
            Optional<JsonNode> byDefault = inspectRaw(reference.substring(0,
                    reference.length() - ContainerSpec.DEFAULT_HOSTNAME_SUFFIX.length())).filter(hostNamed);
            if (byDefault.isPresent()) {
                return byDefault;
            }
        }
        for (JsonNode summary : api.get("/containers/json")) {
            Optional<JsonNode> found = inspectRaw(summary.path("Id").asText()).filter(hostNamed);
            if (found.isPresent()) {
                return found;
            }
        }
        return inspectRaw(reference);
    }

    private static String interfaceAddress(ExtraHost host, String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            if (nic != null) {
                List<InetAddress> addresses = Collections.list(nic.getInetAddresses());
                Optional<InetAddress> address = addresses.stream().filter(a -> a instanceof Inet4Address).findFirst()
                        .or(() -> addresses.stream().findFirst());
                if (address.isPresent()) {
                    return address.get().getHostAddress().replaceFirst("%.*$", "");
                }
            }
        } catch (SocketException e) {
            throw new EngineFailureException("extra host " + host + ": cannot read network interface " + name
                    + ": " + e.getMessage(), e);
        }
        throw new EngineFailureException("extra host " + host + ": this host has no network interface " + name
                + " with an address", null);
    }

    @Override
    public void start(ContainerId id) {
        calls.runVoid("start", id.value(), Duration.ZERO, () -> postIgnoringNotModified(id, "/start"));
    }

    @Override
    public void stop(ContainerId id, StopOptions options) {
        // Read at each stop: engine.default_stop_timeout is applied live on a configuration edit.
        Duration timeout = options.timeout().orElse(config.get().engine().defaultStopTimeout());
        long seconds = Math.max(0, (timeout.toMillis() + 999) / 1000);
        if (options.signal().isPresent()) {
            JsonNode state = rawInspect(id);
            String stopSignal = state.path("Config").path("StopSignal").asText("");
            if (!Signals.same(options.signal().get(), stopSignal.isEmpty() ? Signals.DEFAULT_STOP_SIGNAL : stopSignal)) {
                stopWithSignal(id, options.signal().get(), timeout, state);
                return;
            }
        }
        calls.runVoid("stop", id.value(), timeout, () -> postStop(id, seconds));
    }

    /**
     * POST stop, announced to {@link ExpectedStops}. Docker stops a paused container; Podman refuses ("container state
     * improper"), so a paused container is resumed and stopped again. Runs on a call thread.
     */
    private void postStop(ContainerId id, long seconds) {
        boolean added = expected.stopping(id, Signals.DEFAULT_STOP_SIGNAL);
        try {
            if (!postIgnoringNotModified(id, "/stop?t=" + seconds)) {
                expected.withdraw(id, added);
            }
        } catch (DockerException e) {
            if (e instanceof NotFoundException || !statusIs(id, ContainerStatus.PAUSED)) {
                expected.withdraw(id, added);
                throw e;
            }
            api.post(containerPath(id, "/unpause"));
            api.post(containerPath(id, "/stop?t=" + seconds));
        }
    }

    /**
     * Engine API 1.41 has no signal parameter for stop (1.42 added it), so another signal is sent as a kill, and the
     * container gets the stop timeout to end before it is killed. A paused process cannot take a signal, so it is
     * resumed first. The engine then reports kill and die, but no stop event.
     */
    private void stopWithSignal(ContainerId id, String signal, Duration timeout, JsonNode state) {
        ContainerStatus status = InspectReader.state(state).status();
        if (!status.isAlive()) {
            return;
        }
        if (status == ContainerStatus.PAUSED) {
            resume(id);
        }
        boolean added = expected.killing(id, signal);
        try {
            calls.runVoid("kill", id.value(), Duration.ZERO, () -> api.post(containerPath(id, "/kill?signal="
                    + DockerApi.encode(signal))));
        } catch (ContainerConflictException notRunning) {
            expected.withdraw(id, added);
            return;
        } catch (RuntimeException e) {
            expected.withdraw(id, added);
            throw e;
        }
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!InspectReader.state(rawInspect(id)).status().isAlive()) {
                return;
            }
            try {
                Thread.sleep(STOP_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineFailureException("stop of " + id.shortForm() + " was interrupted", e);
            }
        }
        LOG.info("Container {} did not end within {} of {}; killing it", id.shortForm(), Durations.format(timeout),
                signal);
        calls.runVoid("stop", id.value(), Duration.ZERO, () -> postStop(id, 0));
    }

    @Override
    public void pause(ContainerId id) {
        calls.runVoid("pause", id.value(), Duration.ZERO, () -> {
            try {
                api.post(containerPath(id, "/pause"));
            } catch (ConflictException e) {
                // "already paused" is success (the port's idempotency); "not running" stays a conflict.
                if (!statusIs(id, ContainerStatus.PAUSED)) {
                    throw e;
                }
            }
        });
    }

    @Override
    public void resume(ContainerId id) {
        calls.runVoid("resume", id.value(), Duration.ZERO, () -> {
            try {
                api.post(containerPath(id, "/unpause"));
            } catch (NotFoundException e) {
                throw e;
            } catch (DockerException e) {
                // The engine answers 500 "Container … is not paused": success for a running container, a
                // conflict for any other state.
                if (!statusIs(id, ContainerStatus.RUNNING)) {
                    throw new ContainerConflictException(DockerCalls.engineMessage(e), e);
                }
            }
        });
    }

    @Override
    public void rename(ContainerId id, ContainerName newName) {
        calls.runVoid("rename", id.value(), Duration.ZERO, () -> {
            String current = api.get(containerPath(id, "/json")).path("Name").asText("");
            if (!current.equals("/" + newName.value())) {
                api.post(containerPath(id, "/rename?name=" + DockerApi.encode(newName.value())));
            }
        });
    }

    @Override
    public void update(ContainerId id, ContainerUpdate update) {
        calls.runVoid("update", id.value(), Duration.ZERO, () -> {
            ContainerSpec current = reader.read(api.get(containerPath(id, "/json"))).spec();
            try {
                api.post(containerPath(id, "/update"), createBody.update(update, current));
            } catch (NotFoundException e) {
                // The container was just read, so the engine lacks the endpoint: Podman 4.3's Docker API has none.
                throw new ContainerConflictException("the engine at " + url() + " cannot change a container's "
                        + "settings in place (no POST /containers/{id}/update); recreate the container instead", e);
            }
        });
    }

    @Override
    public void remove(ContainerId id, boolean force) {
        // v=1 removes the container's anonymous volumes, which nothing else can use; named volumes stay.
        calls.runVoid("remove", id.value(), Duration.ZERO, () -> {
            boolean added = force && expected.removing(id);
            String path = containerPath(id, "?v=1&force=" + force);
            try {
                if (force) {
                    retryWhileExiting(() -> api.delete(path), EXIT_RETRIES, EXIT_RETRY_PAUSE);
                } else {
                    api.delete(path);
                }
            } catch (RuntimeException e) {
                expected.withdraw(id, added);
                throw e;
            }
        });
    }

    /**
     * Runs {@code delete} again while the engine says the container's state is improper: Podman refuses a forced
     * removal of a container whose process is exiting at that moment, where Docker waits for the exit itself.
     */
    static void retryWhileExiting(Runnable delete, int attempts, Duration pause) {
        for (int attempt = 1; ; attempt++) {
            try {
                delete.run();
                return;
            } catch (DockerException e) {
                String message = String.valueOf(e.getMessage());
                if (attempt >= attempts || !message.contains("container state improper")) {
                    throw e;
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void logs(ContainerId id, LogOptions options, LogSink sink) {
        LogContainerCmd command = docker.logContainerCmd(id.value()).withStdOut(true).withStdErr(true)
                .withFollowStream(options.follow()).withTimestamps(options.timestamps());
        if (options.tail().isPresent()) {
            command.withTail(options.tail().getAsInt());
        } else {
            command.withTailAll();
        }
        // Without follow, a stream that stays silent for the API timeout is a hung engine; with follow, silence is
        // normal. Frames reach the sink on the caller's thread (LogSink's contract).
        Optional<Duration> silence = options.follow() ? Optional.empty() : Optional.of(engine.apiTimeout());
        try (StreamQueue<Frame> stream = command.exec(new StreamQueue<>())) {
            for (Optional<Frame> next = stream.next(silence); next.isPresent(); next = stream.next(silence)) {
                Frame frame = next.get();
                if (frame.getStreamType() != StreamType.STDIN) {
                    sink.write(frame.getStreamType() == StreamType.STDERR ? LogSink.Stream.STDERR
                            : LogSink.Stream.STDOUT, frame.getPayload());
                }
            }
        } catch (TimeoutException e) {
            throw new EngineUnavailableException("the engine at " + url() + " did not send the logs of "
                    + id.shortForm() + " within " + Durations.format(engine.apiTimeout()), e);
        } catch (ExecutionException e) {
            throw calls.translate(e.getCause(), "logs", id.value());
        } catch (InterruptedException e) {
            // The caller stopped following.
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("Closing the log stream of {} failed: {}", id.shortForm(), e.toString());
        }
    }

    @Override
    public ContainerStats stats(ContainerId id) {
        // one-shot (Engine API 1.41) returns the current sample at once; without it the engine waits for a second
        // sample to fill "precpu_stats", about 1 s per call (reference/dependencies.md, pitfall 3).
        return calls.run("stats", id.value(), () -> StatsReader.read(id,
                api.get(containerPath(id, "/stats?stream=false&one-shot=true")), Instant.now()));
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return events.subscribe(listener);
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        return inspectImage(image).isPresent();
    }

    @Override
    public Optional<ImageFacts> imageFacts(ImageRef image) {
        return inspectImage(image).map(json -> {
            List<String> repoDigests = new ArrayList<>();
            json.path("RepoDigests").forEach(d -> {
                if (d.isTextual()) {
                    repoDigests.add(d.textValue());
                }
            });
            return new ImageFacts(json.path("Id").asText(""), repoDigests);
        });
    }

    private Optional<JsonNode> inspectImage(ImageRef image) {
        String reference = image.isImageId() ? image.digest().orElseThrow() : image.canonical();
        return calls.run("inspect image " + image, null, () -> {
            try {
                return Optional.of(api.get("/images/" + reference + "/json"));
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        images.checkSpaceFor(image);
        LOG.info("Pulling {}", image);
        puller.pull(image, progress);
        images.notePulled(image);
    }

    /** The engine's images and data root (housekeeping, doctor, the Prometheus endpoint). */
    public ImageStore images() {
        return images;
    }

    @Override
    public void close() {
        events.close();
        calls.close();
        try {
            docker.close();
        } catch (IOException e) {
            LOG.debug("Closing the engine client failed: {}", e.toString());
        }
    }

    // ---- internals -----------------------------------------------------------------------------------------------

    private static String containerPath(ContainerId id, String rest) {
        return "/containers/" + DockerApi.encode(id.value()) + rest;
    }

    /** POST {@code action}; false when the engine answered 304 (nothing to do). */
    private boolean postIgnoringNotModified(ContainerId id, String action) {
        try {
            api.post(containerPath(id, action));
            return true;
        } catch (NotModifiedException alreadyThere) {
            // 304: already running (start) or already stopped (stop), which the port treats as success.
            return false;
        }
    }

    private JsonNode rawInspect(ContainerId id) {
        return calls.run("inspect", id.value(), () -> api.get(containerPath(id, "/json")));
    }

    /** Runs on a call thread only (it calls the engine directly). */
    private boolean statusIs(ContainerId id, ContainerStatus status) {
        return InspectReader.state(api.get(containerPath(id, "/json"))).status() == status;
    }

    @Override
    public String toString() {
        return "DockerContainerEngine[" + url() + "]";
    }
}

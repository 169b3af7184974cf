package io.gantry.core.container;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-memory {@link ContainerEngine} for fast unit tests. It follows the same contract as the Docker adapter
 * ({@code ContainerEngineContract} runs against both), emits events synchronously on the calling thread, and can
 * be told to fail an operation, to lose the engine, or to make a container's process exit at once.
 */
public final class FakeContainerEngine implements ContainerEngine {

    /** Operations that {@link #failNext} can make fail. */
    public enum Op { CREATE, START, STOP, PAUSE, RESUME, RENAME, UPDATE, REMOVE, PULL, LIST, INSPECT }

    private final Clock clock;
    private final Map<ContainerId, Container> containers = new LinkedHashMap<>();
    private final Map<ContainerId, List<OutputLine>> output = new HashMap<>();
    /** The spec each managed container was created with: what the Docker adapter records in a label. */
    private final Map<ContainerId, ContainerSpec> recorded = new HashMap<>();
    private final Set<ImageRef> localImages = new HashSet<>();
    private final Set<ImageRef> registryImages = new HashSet<>();
    private final Set<ImageRef> exitAtOnce = new HashSet<>();
    private final Map<Op, List<EngineException>> failures = new HashMap<>();
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<String> log = new ArrayList<>();
    private boolean available = true;

    public FakeContainerEngine() {
        this(Clock.systemUTC());
    }

    public FakeContainerEngine(Clock clock) {
        this.clock = clock;
    }

    // ---- test controls ------------------------------------------------------------------------------------

    /** Makes an image present locally. */
    public synchronized FakeContainerEngine withImage(String image) {
        localImages.add(ImageRef.parse(image));
        return this;
    }

    /** Makes an image pullable (present in a registry, not yet local). */
    public synchronized FakeContainerEngine withRegistryImage(String image) {
        registryImages.add(ImageRef.parse(image));
        return this;
    }

    /** Containers of this image exit with code 1 right after they start, like a broken application. */
    public synchronized FakeContainerEngine exitingAtOnce(String image) {
        exitAtOnce.add(ImageRef.parse(image));
        return this;
    }

    /** The next call of {@code op} throws {@code failure} instead of doing anything. */
    public synchronized void failNext(Op op, EngineException failure) {
        failures.computeIfAbsent(op, k -> new ArrayList<>()).add(failure);
    }

    /** The engine stops answering: every call throws {@link EngineUnavailableException}. */
    public void goDown() {
        synchronized (this) {
            available = false;
        }
        listeners.forEach(l -> l.onUnavailable("fake engine went down"));
    }

    /** The engine answers again; listeners are told to resynchronise. */
    public void comeBack() {
        synchronized (this) {
            available = true;
        }
        listeners.forEach(EngineListener::onResync);
    }

    /** Adds a container as if someone ran {@code docker create} by hand (not managed by Gantry). */
    public ContainerId addUnmanaged(ContainerSpec spec) {
        return doCreate(spec, Map.of(), false);
    }

    /** Adds a hand-made container that carries some {@code io.gantry.*} labels, but not the managed one. */
    public ContainerId addUnmanaged(ContainerSpec spec, Map<String, String> gantryLabels) {
        return doCreate(spec, gantryLabels, false);
    }

    /** Appends output to a container's standard output. */
    public void print(ContainerId id, String text) {
        print(id, LogSink.Stream.STDOUT, text);
    }

    /** Appends output to one of a container's output streams. */
    public synchronized void print(ContainerId id, LogSink.Stream stream, String text) {
        require(id);
        List<OutputLine> lines = output.computeIfAbsent(id, k -> new ArrayList<>());
        text.lines().forEach(line -> lines.add(new OutputLine(stream, line + "\n")));
    }

    /** The operations performed so far, e.g. {@code "start web"}; for tests that must prove something did not happen. */
    public synchronized List<String> operations() {
        return List.copyOf(log);
    }

    /** Makes the process of a running container end on its own, as a crash would. */
    public void exit(ContainerId id, long exitCode) {
        synchronized (this) {
            Container c = require(id);
            containers.put(id, c.withState(stopped(c.state(), exitCode)));
        }
        emit(ContainerEvent.Kind.DIED, id, Map.of("exitCode", Long.toString(exitCode)));
    }

    // ---- controls added for the update agent's tests -----------------------------------------------------------

    /** Sets a container's health-check result, as the engine's health check would, and emits HEALTH_CHANGED. */
    public void setHealth(ContainerId id, Health health) {
        synchronized (this) {
            Container c = require(id);
            ContainerState s = c.state();
            containers.put(id, c.withState(new ContainerState(s.status(), s.pid(), s.exitCode(), s.error(),
                    s.startedAt(), s.finishedAt(), s.oomKilled(), s.restartCount(), health)));
        }
        emit(ContainerEvent.Kind.HEALTH_CHANGED, id, Map.of("health", health.name().toLowerCase(java.util.Locale.ROOT)));
    }

    // ---- ContainerEngine ------------------------------------------------------------------------------------

    @Override
    public synchronized EngineInfo info() {
        checkAvailable();
        return new EngineInfo("fake", "1.41", "linux", "amd64", "2", "cgroupfs", 2, 8L << 30, "overlay2");
    }

    @Override
    public synchronized List<Container> list() {
        checkAvailable();
        maybeFail(Op.LIST);
        return List.copyOf(containers.values());
    }

    @Override
    public synchronized Optional<Container> inspect(ContainerId id) {
        checkAvailable();
        maybeFail(Op.INSPECT);
        return Optional.ofNullable(containers.get(id));
    }

    @Override
    public synchronized Optional<Container> find(String nameOrId) {
        checkAvailable();
        String ref = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
        for (Container c : containers.values()) {
            if (c.id().value().equals(ref) || c.name().value().equals(ref)) {
                return Optional.of(c);
            }
        }
        List<Container> byPrefix = containers.values().stream().filter(c -> c.id().value().startsWith(ref)).toList();
        return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        for (String key : gantryLabels.keySet()) {
            if (!key.startsWith(ContainerSpec.GANTRY_LABEL_PREFIX)) {
                throw new IllegalArgumentException("not a Gantry label: " + key);
            }
        }
        return doCreate(spec.validated(), gantryLabels, true);
    }

    private ContainerId doCreate(ContainerSpec spec, Map<String, String> gantryLabels, boolean managed) {
        ContainerId id;
        synchronized (this) {
            checkAvailable();
            maybeFail(Op.CREATE);
            ImageRef source = gantryLabels.containsKey(ContainerSpec.PINNED_IMAGE_LABEL)
                    ? ImageRef.parse(gantryLabels.get(ContainerSpec.PINNED_IMAGE_LABEL)) : spec.image();
            if (!hasImage(source)) {
                throw new ImagePullException(ImagePullException.Reason.NOT_FOUND,
                        "no such image: " + source + " (pull it first)", null);
            }
            id = new ContainerId(String.format("%064x", ids.incrementAndGet()));
            ContainerName name = spec.name().orElse(new ContainerName("fake_" + id.shortForm()));
            if (byName(name).isPresent()) {
                throw new ContainerConflictException("the container name \"/" + name + "\" is already in use", null);
            }
            Map<String, String> labels = new LinkedHashMap<>(gantryLabels);
            if (managed) {
                labels.put(Container.MANAGED_LABEL, "true");
            }
            // As Docker: a container created without a name (named by the engine) has its short id as host name.
            ContainerSpec named = (spec.name().isPresent() || !spec.hostname().isEmpty() ? spec
                    : spec.toBuilder().hostname(id.shortForm()).buildAsReported()).withName(name);
            containers.put(id, new Container(id, name, spec.image(), "sha256:" + id.value(), named,
                    ContainerState.created(), clock.instant(), managed, labels));
            recorded.put(id, spec);
            log.add("create " + name);
        }
        emit(ContainerEvent.Kind.CREATED, id, Map.of());
        return id;
    }

    @Override
    public void start(ContainerId id) {
        boolean exits;
        synchronized (this) {
            Container c = operate(Op.START, id);
            if (c.status() == ContainerStatus.RUNNING) {
                return;
            }
            if (c.status() == ContainerStatus.PAUSED) {
                throw new ContainerConflictException("cannot start a paused container, try unpause instead", null);
            }
            Instant now = clock.instant();
            ContainerState running = new ContainerState(ContainerStatus.RUNNING, 1000 + ids.incrementAndGet(), 0, "",
                    Optional.of(now), c.state().finishedAt(), false, c.state().restartCount(), c.state().health());
            containers.put(id, c.withState(running));
            log.add("start " + c.name());
            exits = exitAtOnce.contains(c.image());
        }
        emit(ContainerEvent.Kind.STARTED, id, Map.of());
        if (exits) {
            exit(id, 1);
        }
    }

    /**
     * Stops as Docker Engine API 1.41 does: the stop signal, then (for a paused container) unpause, die and stop.
     * API 1.41 has no stop signal parameter, so another signal is sent as a kill (after an unpause) and ends
     * without a {@code stop} event, as the Docker adapter does it.
     */
    @Override
    public void stop(ContainerId id, StopOptions options) {
        String signal = options.signal().orElse(Signals.DEFAULT_STOP_SIGNAL);
        boolean plainStop = Signals.same(signal, Signals.DEFAULT_STOP_SIGNAL);
        boolean wasPaused;
        long exitCode = 128 + Signals.number(signal).orElse(15);
        synchronized (this) {
            Container c = operate(Op.STOP, id);
            if (!c.status().isAlive()) {
                return;
            }
            wasPaused = c.status() == ContainerStatus.PAUSED;
            containers.put(id, c.withState(stopped(c.state(), exitCode)));
            log.add("stop " + c.name());
        }
        if (wasPaused && !plainStop) {
            emit(ContainerEvent.Kind.RESUMED, id, Map.of());
        }
        emit(ContainerEvent.Kind.KILLED, id, Map.of("signal", Signals.wireForm(signal)));
        if (wasPaused && plainStop) {
            emit(ContainerEvent.Kind.RESUMED, id, Map.of());
        }
        emit(ContainerEvent.Kind.DIED, id, Map.of("exitCode", Long.toString(exitCode)));
        if (plainStop) {
            emit(ContainerEvent.Kind.STOPPED, id, Map.of());
        }
    }

    @Override
    public void pause(ContainerId id) {
        synchronized (this) {
            Container c = operate(Op.PAUSE, id);
            if (c.status() == ContainerStatus.PAUSED) {
                return;
            }
            if (c.status() != ContainerStatus.RUNNING) {
                throw new ContainerConflictException("container " + id + " is not running", null);
            }
            containers.put(id, c.withState(withStatus(c.state(), ContainerStatus.PAUSED)));
            log.add("pause " + c.name());
        }
        emit(ContainerEvent.Kind.PAUSED, id, Map.of());
    }

    @Override
    public void resume(ContainerId id) {
        synchronized (this) {
            Container c = operate(Op.RESUME, id);
            if (c.status() == ContainerStatus.RUNNING) {
                return;
            }
            if (c.status() != ContainerStatus.PAUSED) {
                throw new ContainerConflictException("container " + id + " is not paused", null);
            }
            containers.put(id, c.withState(withStatus(c.state(), ContainerStatus.RUNNING)));
            log.add("resume " + c.name());
        }
        emit(ContainerEvent.Kind.RESUMED, id, Map.of());
    }

    @Override
    public void rename(ContainerId id, ContainerName newName) {
        synchronized (this) {
            Container c = operate(Op.RENAME, id);
            if (c.name().equals(newName)) {
                return;
            }
            if (byName(newName).isPresent()) {
                throw new ContainerConflictException("the container name \"/" + newName + "\" is already in use",
                        null);
            }
            containers.put(id, c.withName(newName));
            log.add("rename " + c.name() + " " + newName);
        }
        emit(ContainerEvent.Kind.RENAMED, id, Map.of("name", newName.value()));
    }

    /**
     * Updates as Docker does: a limit can be changed but not removed in place, and Docker keeps no retry timeout, so
     * the one recorded at creation is reported while the policy stays on-failure. Explicit swap of twice the memory
     * is the engine's default and reported as such (empty).
     */
    @Override
    public void update(ContainerId id, ContainerUpdate update) {
        synchronized (this) {
            Container c = operate(Op.UPDATE, id);
            ContainerSpec created = recorded.getOrDefault(id, c.spec());
            ContainerSpec.Builder spec = c.spec().toBuilder();
            update.restartPolicy().ifPresent(p -> spec.restartPolicy(
                    p.kind() == RestartPolicy.Kind.ON_FAILURE
                            && created.restartPolicy().kind() == RestartPolicy.Kind.ON_FAILURE
                            ? RestartPolicy.onFailure(p.maxRetries(), created.restartPolicy().retryTimeout())
                            : new RestartPolicy(p.kind(), p.maxRetries(), java.time.Duration.ZERO)));
            if (update.resources().isPresent()) {
                Resources current = c.spec().resources();
                Resources wanted = update.resources().get();
                refuseRemoval(c, "memory limit", current.memory().isPresent() && wanted.memory().isEmpty());
                refuseRemoval(c, "memory reservation", current.memoryReservation().isPresent()
                        && wanted.memoryReservation().isEmpty());
                refuseRemoval(c, "CPU limit", current.cpus().isPresent() && wanted.cpus().isEmpty());
                Resources live = defaultSwapAsEmpty(wanted.withGpus(created.resources().gpus()));
                spec.resources(live.equals(defaultSwapAsEmpty(created.resources())) ? created.resources() : live);
            }
            containers.put(id, c.withSpec(spec.buildAsReported()));
            log.add("update " + c.name());
        }
        emit(ContainerEvent.Kind.UPDATED, id, Map.of());
    }

    private static void refuseRemoval(Container c, String what, boolean removed) {
        if (removed) {
            throw new ContainerConflictException("the " + what + " of container " + c.name()
                    + " cannot be removed in place; recreate the container", null);
        }
    }

    private static Resources defaultSwapAsEmpty(Resources r) {
        boolean doubled = r.memory().isPresent() && r.memorySwap().isPresent()
                && r.memorySwap().get().bytes() == 2 * r.memory().get().bytes();
        return doubled ? r.withMemory(r.memory(), r.memoryReservation(), Optional.empty(), false) : r;
    }

    @Override
    public void remove(ContainerId id, boolean force) {
        boolean wasAlive;
        synchronized (this) {
            Container c = operate(Op.REMOVE, id);
            wasAlive = c.status().isAlive();
            if (wasAlive && !force) {
                throw new ContainerConflictException("You cannot remove a " + c.status().dockerName()
                        + " container " + id + ". Stop the container before attempting removal or force remove",
                        null);
            }
            containers.remove(id);
            output.remove(id);
            recorded.remove(id);
            log.add("remove " + c.name());
        }
        if (wasAlive) {
            emit(ContainerEvent.Kind.KILLED, id, Map.of("signal", "9"));
            emit(ContainerEvent.Kind.DIED, id, Map.of("exitCode", "137"));
        }
        emit(ContainerEvent.Kind.REMOVED, id, Map.of());
    }

    @Override
    public void logs(ContainerId id, LogOptions options, LogSink sink) {
        List<OutputLine> lines;
        synchronized (this) {
            checkAvailable();
            require(id);
            lines = List.copyOf(output.getOrDefault(id, List.of()));
        }
        int from = options.tail().isPresent() ? Math.max(0, lines.size() - options.tail().getAsInt()) : 0;
        for (OutputLine line : lines.subList(from, lines.size())) {
            sink.write(line.stream(), line.text().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public synchronized ContainerStats stats(ContainerId id) {
        checkAvailable();
        Container c = require(id);
        long tick = ids.incrementAndGet();
        boolean running = c.status() == ContainerStatus.RUNNING;
        return new ContainerStats(id, clock.instant(), running ? tick * 1_000_000L : 0, tick * 2_000_000L, 2,
                running ? 4L << 20 : 0, c.spec().resources().memory().map(m -> m.bytes()).orElse(8L << 30), 0, 0,
                0, 0, running ? 1 : 0);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized boolean imagePresent(ImageRef image) {
        checkAvailable();
        return hasImage(image);
    }

    /** A local image by reference, or by the id {@link #fakeImageId} gives it. */
    private boolean hasImage(ImageRef image) {
        return localImages.contains(image) || image.isImageId()
                && localImages.stream().anyMatch(i -> fakeImageId(i).equals(image.digest().orElseThrow()));
    }

    /** A present image's id is the SHA-256 of its canonical reference; it has no repository digests. */
    @Override
    public synchronized Optional<io.gantry.core.image.ImageFacts> imageFacts(ImageRef image) {
        checkAvailable();
        if (!localImages.contains(image)) {
            return Optional.empty();
        }
        return Optional.of(new io.gantry.core.image.ImageFacts(fakeImageId(image), List.of()));
    }

    /** The id {@link #imageFacts} gives a present image. */
    public static String fakeImageId(ImageRef image) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(image.canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        synchronized (this) {
            checkAvailable();
            maybeFail(Op.PULL);
            if (!registryImages.contains(image) && !localImages.contains(image)) {
                throw new ImagePullException(ImagePullException.Reason.NOT_FOUND,
                        "pull access denied for " + image.name() + ", repository does not exist", null);
            }
            localImages.add(image);
            log.add("pull " + image);
        }
        progress.accept(new PullEvent("Status: Downloaded newer image for " + image.canonical(), "", 0, 0));
    }

    // ---- internals -----------------------------------------------------------------------------------------

    private Container operate(Op op, ContainerId id) {
        checkAvailable();
        maybeFail(op);
        return require(id);
    }

    private Container require(ContainerId id) {
        Container c = containers.get(id);
        if (c == null) {
            throw new ContainerNotFoundException(id.value(), null);
        }
        return c;
    }

    private Optional<Container> byName(ContainerName name) {
        return containers.values().stream().filter(c -> c.name().equals(name))
                .min(Comparator.comparing(Container::createdAt));
    }

    private void checkAvailable() {
        if (!available) {
            throw new EngineUnavailableException("cannot reach the fake engine", null);
        }
    }

    private void maybeFail(Op op) {
        List<EngineException> queued = failures.get(op);
        if (queued != null && !queued.isEmpty()) {
            throw queued.remove(0);
        }
    }

    private ContainerState stopped(ContainerState s, long exitCode) {
        return new ContainerState(ContainerStatus.EXITED, 0, exitCode, "", s.startedAt(),
                Optional.of(clock.instant()), false, s.restartCount(), s.health());
    }

    private static ContainerState withStatus(ContainerState s, ContainerStatus status) {
        return new ContainerState(status, s.pid(), s.exitCode(), s.error(), s.startedAt(), s.finishedAt(),
                s.oomKilled(), s.restartCount(), s.health());
    }

    private record OutputLine(LogSink.Stream stream, String text) {
    }

    private void emit(ContainerEvent.Kind kind, ContainerId id, Map<String, String> attributes) {
        ContainerEvent event = new ContainerEvent(kind, id, clock.instant(), attributes);
        for (EngineListener l : listeners) {
            l.onEvent(event);
        }
    }
}

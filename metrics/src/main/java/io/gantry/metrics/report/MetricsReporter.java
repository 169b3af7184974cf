package io.gantry.metrics.report;

import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.Subscription;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.sampling.HostPaths;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.sampling.Sampler;
import io.gantry.metrics.sampling.Target;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import io.gantry.metrics.snapshot.MeasurementId;
import io.gantry.metrics.snapshot.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out metrics requests (reference/kanto-things.md §3.4) and serves the current figures to the Prometheus
 * endpoint. It owns, on its single thread {@code gantry-metrics}, the active request, the ticker, the roster of
 * running containers (kept from the engine's events) and each container's previous reading (the CPU baseline).
 *
 * <p>Nothing is sampled, and the engine is not even watched, while no request is active and no figures are served.
 * A new request replaces the old one and restarts the ticker; a request survives broker reconnects, because the
 * reporter has no tie to the connection: only a stop request or {@link #close()} ends it.
 *
 * <p>Threading: every public method may be called from any thread and returns at once; blocking engine calls run on
 * the pool {@code gantry-metrics-engine}, never on the metrics thread or an engine callback.
 */
public final class MetricsReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsReporter.class);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private final ContainerEngine engine;
    private final SnapshotSink sink;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final ExecutorService enginePool;
    private final KeyedExecutor inspections;
    private final Sampler sampler;

    // ---- owned by the gantry-metrics thread ----
    private Duration minFrequency;
    private MetricsRequest request;
    private ScheduledFuture<?> ticker;
    /** How many servers (the Prometheus endpoint, the dashboard) want figures. */
    private int servingFigures;
    private Subscription events;
    /** Bumped whenever the engine watch stops, so that engine answers from before are dropped. */
    private long watchGeneration;
    private final Map<ContainerId, Target> roster = new HashMap<>();
    private final Map<ContainerId, ContainerStats> baselines = new HashMap<>();
    private Sampler.Reading lastFigures;
    private long lastFiguresNanos;

    private MetricsReporter(ContainerEngine engine, Function<ExecutorService, Sampler> samplerFactory,
                            SnapshotSink sink, Duration minFrequency, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.minFrequency = Objects.requireNonNull(minFrequency, "minFrequency");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = Threads.scheduled("gantry-metrics");
        this.enginePool = Threads.pool("gantry-metrics-engine", Sampler.API_THREADS);
        this.inspections = new KeyedExecutor(enginePool);
        this.sampler = samplerFactory.apply(enginePool);
    }

    /**
     * A reporter that reads containers from the kernel under {@code paths} where it can and through the engine's
     * statistics API where it cannot.
     *
     * @param minFrequency {@code metrics.min_frequency}: shorter requests are raised to it
     */
    public static MetricsReporter start(ContainerEngine engine, HostPaths paths, SnapshotSink sink,
                                        Duration minFrequency, Clock clock) {
        return new MetricsReporter(engine, pool -> Sampler.create(paths, engine, pool, clock), sink, minFrequency,
                clock);
    }

    /** A reporter that reads every container through the engine's statistics API (a remote engine). */
    public static MetricsReporter startEngineOnly(ContainerEngine engine, SnapshotSink sink, Duration minFrequency,
                                                  Clock clock) {
        return new MetricsReporter(engine, pool -> Sampler.engineOnly(engine, pool, clock), sink, minFrequency,
                clock);
    }

    /**
     * Replaces the active request (a stop request ends reporting). The frequency is raised to the minimum frequency;
     * the CPU baseline of the selected containers is taken at once, so the first tick already has
     * {@code cpu.utilization}.
     */
    public void request(MetricsRequest newRequest) {
        Objects.requireNonNull(newRequest, "newRequest");
        onThread(() -> apply(newRequest));
    }

    /** Changes {@code metrics.min_frequency}; it applies from the next request. */
    public void minFrequency(Duration minimum) {
        Objects.requireNonNull(minimum, "minimum");
        onThread(() -> minFrequency = minimum);
    }

    /**
     * Keeps the roster of running containers while figures are served: each server that reads {@link #figures()}
     * (the Prometheus endpoint, the dashboard) calls this with true when it starts and with false when it stops.
     */
    public void serveFigures(boolean serve) {
        onThread(() -> {
            servingFigures = Math.max(0, servingFigures + (serve ? 1 : -1));
            lastFigures = null;
            watchIfNeeded();
        });
    }

    /**
     * The current figures of every running container, for a Prometheus scrape. A reading younger than the minimum
     * frequency is reused, so that scrapes in a burst cost one reading. Empty unless {@link #serveFigures} is on.
     */
    public CompletableFuture<Sampler.Reading> figures() {
        CompletableFuture<Sampler.Reading> result = new CompletableFuture<>();
        boolean queued = onThread(() -> {
            if (servingFigures == 0) {
                result.complete(new Sampler.Reading(List.of(), 0, 0, 0, 0));
                return;
            }
            long now = System.nanoTime();
            if (lastFigures == null || now - lastFiguresNanos >= minFrequency.toNanos()) {
                lastFigures = sampler.read(sortedRoster(), LONGEST_WAIT);
                lastFiguresNanos = now;
            }
            result.complete(lastFigures);
        });
        if (!queued) {
            result.completeExceptionally(new IllegalStateException("the metrics reporter is closed"));
        }
        return result;
    }

    /** The active request, if any (for status output and tests). */
    public CompletableFuture<Optional<MetricsRequest>> activeRequest() {
        CompletableFuture<Optional<MetricsRequest>> result = new CompletableFuture<>();
        if (!onThread(() -> result.complete(Optional.ofNullable(request)))) {
            result.complete(Optional.empty());
        }
        return result;
    }

    /** Stops reporting and watching, and ends the threads. */
    @Override
    public void close() {
        onThread(() -> {
            cancelTicker();
            request = null;
            servingFigures = 0;
            watchIfNeeded();
        });
        Threads.shutdown(thread, 5);
        Threads.shutdown(enginePool, 5);
    }

    // ---- on the gantry-metrics thread -----------------------------------------------------------------------

    private void apply(MetricsRequest newRequest) {
        MetricsRequest clamped = newRequest.atLeast(minFrequency);
        cancelTicker();
        baselines.clear();
        if (clamped.isStop()) {
            if (request != null) {
                LOG.info("Metrics reporting stopped");
            }
            request = null;
            watchIfNeeded();
            return;
        }
        boolean replacing = request != null;
        request = clamped;
        watchIfNeeded();
        takeMissingBaselines();
        long period = clamped.frequency().toNanos();
        ticker = thread.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        LOG.info("Metrics reporting {} every {} with filter {}", replacing ? "changed: now" : "started:",
                clamped.frequency(), clamped.filters());
    }

    private void tick() {
        if (request == null) {
            return;
        }
        MetricsRequest active = request;
        List<Target> targets = sortedRoster().stream()
                .filter(t -> active.hasFilterFor(ContainerMeasurements.originatorOf(t.id())))
                .toList();
        long timestamp = clock.instant().getEpochSecond();
        Sampler.Reading reading = sampler.read(targets, deadline(active.frequency()));
        Optional<Snapshot> snapshot = Snapshots.build(active, reading.samples(), baselines, timestamp);
        for (Sample s : reading.samples()) {
            baselines.put(s.target().id(), s.stats());
        }
        if (reading.missed() > 0) {
            LOG.debug("Metrics tick left out {} of {} containers ({} still busy)", reading.missed(), targets.size(),
                    reading.busy());
        }
        snapshot.ifPresent(this::publish);
    }

    private void publish(Snapshot snapshot) {
        try {
            sink.publish(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("Publishing metrics data failed: {}", e.toString(), e);
        }
    }

    /** Waits for the engine's API at most 80% of the period (and at most 5 s), so the ticks keep their pace. */
    private static Duration deadline(Duration period) {
        Duration share = period.multipliedBy(4).dividedBy(5);
        return share.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : share;
    }

    /** Kanto takes the CPU baseline at request time, and again when a container (re)starts (§3.4). */
    private void takeMissingBaselines() {
        if (request == null) {
            return;
        }
        MetricsRequest active = request;
        List<Target> targets = sortedRoster().stream()
                .filter(t -> !baselines.containsKey(t.id()))
                .filter(t -> active.hasFilterForItem(MeasurementId.CPU_UTILIZATION,
                        ContainerMeasurements.originatorOf(t.id())))
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        for (Sample s : sampler.read(targets, deadline(active.frequency())).samples()) {
            baselines.put(s.target().id(), s.stats());
        }
    }

    private List<Target> sortedRoster() {
        List<Target> targets = new ArrayList<>(roster.values());
        targets.sort(Comparator.comparing(Target::name).thenComparing(Target::id));
        return targets;
    }

    private void cancelTicker() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    // ---- the roster: running containers, kept from the engine's events --------------------------------------

    private void watchIfNeeded() {
        boolean needed = request != null || servingFigures > 0;
        if (needed && events == null) {
            events = engine.subscribe(new Listener());
            reloadRoster();
        } else if (!needed && events != null) {
            events.close();
            events = null;
            watchGeneration++;
            roster.keySet().forEach(sampler::forget);
            roster.clear();
            baselines.clear();
            lastFigures = null;
        }
    }

    private void reloadRoster() {
        long generation = watchGeneration;
        enginePool.execute(() -> {
            List<Container> all;
            try {
                all = engine.list();
            } catch (EngineException e) {
                // The engine listener's resync brings the roster back when the engine answers again.
                LOG.debug("Cannot list containers for metrics: {}", e.toString());
                return;
            }
            onThread(() -> replaceRoster(generation, all));
        });
    }

    private void replaceRoster(long generation, List<Container> all) {
        if (generation != watchGeneration) {
            return;
        }
        Map<ContainerId, Target> running = new HashMap<>();
        for (Container c : all) {
            if (isSampled(c)) {
                running.put(c.id(), Target.from(c));
            }
        }
        for (ContainerId gone : new ArrayList<>(roster.keySet())) {
            if (!running.containsKey(gone)) {
                drop(gone);
            }
        }
        running.values().forEach(this::put);
        takeMissingBaselines();
    }

    private void refresh(ContainerId id) {
        long generation = watchGeneration;
        inspections.execute(id, () -> {
            Optional<Container> c;
            try {
                c = engine.inspect(id);
            } catch (EngineException e) {
                LOG.debug("Cannot inspect container {} for metrics: {}", id.shortForm(), e.toString());
                return;
            }
            onThread(() -> {
                if (generation != watchGeneration) {
                    return;
                }
                if (c.isPresent() && isSampled(c.get())) {
                    put(Target.from(c.get()));
                    takeMissingBaselines();
                } else {
                    drop(id);
                }
            });
        });
    }

    private void put(Target target) {
        Target before = roster.put(target.id(), target);
        if (before != null && before.pid() != target.pid()) {
            // restarted: a new process in a new cgroup, so the old counters are no baseline
            baselines.remove(target.id());
        }
    }

    private void drop(ContainerId id) {
        roster.remove(id);
        baselines.remove(id);
        sampler.forget(id);
    }

    /** Running or paused containers have a process and counters; Kanto reports what its manager can measure. */
    private static boolean isSampled(Container c) {
        ContainerStatus s = c.status();
        return s == ContainerStatus.RUNNING || s == ContainerStatus.PAUSED;
    }

    private boolean onThread(Runnable task) {
        try {
            thread.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // closed
        }
    }

    /** Engine events arrive on the adapter's thread: hand them over and return. */
    private final class Listener implements EngineListener {
        @Override
        public void onEvent(ContainerEvent event) {
            switch (event.kind()) {
                case REMOVED -> onThread(() -> drop(event.id()));
                case STARTED, DIED, STOPPED, RENAMED -> onThread(() -> {
                    if (events != null) {
                        refresh(event.id());
                    }
                });
                default -> {
                    // CREATED (not running yet), KILLED (DIED follows), health and OOM change nothing here; neither do
                    // PAUSED, RESUMED and UPDATED: a paused container is sampled too, and its id, name, image, pid and
                    // network stay as they were
                }
            }
        }

        @Override
        public void onResync() {
            onThread(() -> {
                if (events != null) {
                    reloadRoster();
                }
            });
        }
    }
}

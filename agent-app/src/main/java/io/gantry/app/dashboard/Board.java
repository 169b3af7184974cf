package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.Subscription;
import io.gantry.metrics.report.MetricsReporter;
import io.gantry.metrics.sampling.Sample;
import io.gantry.metrics.sampling.Sampler;
import io.gantry.metrics.snapshot.CpuUsage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows live: the engine's containers, re-read whenever the engine reports an event and pushed to
 * every open page, and each running container's CPU and memory every {@link #SAMPLE_PERIOD} from the metrics
 * reporter's sampler, with {@link #HISTORY} of them kept for the plots.
 *
 * <p>Threading: the thread {@code gantry-dashboard} owns the list, the figures and the history; engine callbacks only
 * hand off to it. {@link #latest()} may be called from any thread.
 */
final class Board implements EngineListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Board.class);
    static final Duration SAMPLE_PERIOD = Duration.ofSeconds(3);
    /** 10 minutes of samples. */
    static final int HISTORY = 200;
    private static final long FIGURES_WAIT_SECONDS = 10;

    private final ContainerEngine engine;
    private final MetricsReporter reporter;
    private final boolean actOnUnmanaged;
    private final EventStreams streams;
    private final ScheduledExecutorService owner = Threads.scheduled("gantry-dashboard");
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private Subscription subscription;

    // owned by gantry-dashboard
    private final Map<ContainerId, ContainerStats> previous = new HashMap<>();
    private final Map<ContainerId, Deque<double[]>> history = new HashMap<>();
    private Set<ContainerId> known = Set.of();

    /** The frames a page that opens its stream gets first; replaced whole, read by any thread. */
    private volatile String containersFrame = EventStreams.frame("containers", "[]");
    private volatile String statsFrame = EventStreams.frame("stats", "{}");
    private volatile String engineFrame = EventStreams.frame("engine", "{\"available\":true}");

    Board(ContainerEngine engine, MetricsReporter reporter, boolean actOnUnmanaged, EventStreams streams) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.actOnUnmanaged = actOnUnmanaged;
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    void start() {
        reporter.serveFigures(true);
        subscription = engine.subscribe(this);
        requestRefresh();
        owner.scheduleWithFixedDelay(this::sample, 0, SAMPLE_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onEvent(ContainerEvent event) {
        requestRefresh();
    }

    @Override
    public void onResync() {
        requestRefresh();
    }

    @Override
    public void onUnavailable(String reason) {
        publishEngine(false, reason);
    }

    /** The frames that bring a page up to date. */
    List<String> latest() {
        return List.of(engineFrame, containersFrame, statsFrame);
    }

    /** The samples kept for one container, oldest first: {@code [[epochMillis, cpuPercent, memoryUsed], …]}. */
    CompletableFuture<ArrayNode> history(ContainerId id) {
        return CompletableFuture.supplyAsync(() -> {
            ArrayNode out = ContainerView.JSON.createArrayNode();
            for (double[] point : history.getOrDefault(id, new ArrayDeque<>())) {
                out.addArray().add((long) point[0]).add(point[1]).add((long) point[2]);
            }
            return out;
        }, owner);
    }

    /** Coalesces a burst of events into one re-read of the list. */
    private void requestRefresh() {
        if (refreshPending.compareAndSet(false, true)) {
            try {
                owner.execute(() -> {
                    refreshPending.set(false);
                    refresh();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void refresh() {
        List<Container> containers;
        try {
            containers = engine.list();
        } catch (EngineException e) {
            publishEngine(false, e.getMessage());
            return;
        }
        publishEngine(true, "");
        Set<ContainerId> ids = new HashSet<>();
        containers.forEach(c -> ids.add(c.id()));
        known = ids;
        history.keySet().retainAll(ids);
        previous.keySet().retainAll(ids);
        String rows = ContainerView.rows(containers, actOnUnmanaged).toString();
        String frame = EventStreams.frame("containers", rows);
        if (!frame.equals(containersFrame)) {
            containersFrame = frame;
            streams.broadcast("containers", rows);
        }
    }

    private void publishEngine(boolean available, String reason) {
        String data = ContainerView.JSON.createObjectNode().put("available", available).put("reason", reason)
                .toString();
        String frame = EventStreams.frame("engine", data);
        if (!frame.equals(engineFrame)) {
            engineFrame = frame;
            streams.broadcast("engine", data);
        }
    }

    private void sample() {
        Sampler.Reading reading;
        try {
            reading = reporter.figures().get(FIGURES_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("No container figures for the dashboard this time: {}", e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ObjectNode stats = ContainerView.JSON.createObjectNode();
        List<ContainerId> seen = new ArrayList<>();
        for (Sample s : reading.samples()) {
            ContainerStats now = s.stats();
            ContainerId id = now.id();
            if (!known.contains(id)) {
                continue;
            }
            seen.add(id);
            OptionalDouble cpu = CpuUsage.percent(previous.get(id), now);
            previous.put(id, now);
            double cpuPercent = cpu.orElse(Double.NaN);
            long at = now.readAt().toEpochMilli();
            Deque<double[]> points = history.computeIfAbsent(id, k -> new ArrayDeque<>());
            if (!Double.isNaN(cpuPercent)) {
                points.addLast(new double[] {at, cpuPercent, now.memoryUsed()});
                while (points.size() > HISTORY) {
                    points.removeFirst();
                }
            }
            ObjectNode one = stats.putObject(id.value()).put("t", at).put("mem", now.memoryUsed())
                    .put("limit", now.memoryLimit());
            if (!Double.isNaN(cpuPercent)) {
                one.put("cpu", Math.round(cpuPercent * 100) / 100.0);
            }
        }
        previous.keySet().retainAll(seen);
        String data = stats.toString();
        statsFrame = EventStreams.frame("stats", data);
        streams.broadcast("stats", data);
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        Threads.shutdown(owner, 5);
        reporter.serveFigures(false);
    }
}

package io.gantry.metrics.sampling;

import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.EngineException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one reading of many containers. Containers whose cgroup and network namespace are reachable are read from
 * the kernel in one pass on the calling thread (a few small files each); the others go to the engine's statistics
 * API, in parallel on {@code apiPool}. The engine answers a statistics call only at its next collection, about a
 * second later (Docker 20.10, even "one-shot"), so a reading waits for the API until the deadline and then takes
 * each container's latest answer if it is recent ({@link #RECENT}); a container without one is left out of this
 * reading, so a slow or vanished container never holds up the others. A container whose API call is still running
 * from an earlier reading is not asked again, so a hung engine cannot pile up calls.
 *
 * <p>Threading: {@link #read} and {@link #forget} must be called from one thread (the metrics thread owns the route
 * cache); the API calls run on the pool.
 */
public final class Sampler {

    private static final Logger LOG = LoggerFactory.getLogger(Sampler.class);
    /** How old an API answer may be and still stand for a container whose current call has not answered yet. */
    public static final Duration RECENT = Duration.ofSeconds(5);
    /**
     * Threads the API pool should have: every API call waits about a second for the engine's next collection, so
     * the calls of all containers must be in flight together (the threads end when idle).
     */
    public static final int API_THREADS = 64;

    private final Optional<KernelStats> kernel;
    private final CgroupLocator locator;
    private final ContainerEngine engine;
    private final Executor apiPool;
    private final Clock clock;
    /** Container → how to read it, for the pid it had when the route was found. Owned by the calling thread. */
    private final Map<ContainerId, Route> routes = new HashMap<>();
    private final Set<ContainerId> apiInFlight = ConcurrentHashMap.newKeySet();
    /** Each container's latest API answer, with the monotonic time it came. Written by the pool's threads. */
    private final Map<ContainerId, Answer> apiLatest = new ConcurrentHashMap<>();

    private Sampler(Optional<KernelStats> kernel, CgroupLocator locator, ContainerEngine engine, Executor apiPool,
                    Clock clock) {
        this.kernel = kernel;
        this.locator = locator;
        this.engine = engine;
        this.apiPool = apiPool;
        this.clock = clock;
    }

    /**
     * A sampler for this host: the kernel path is used where {@code paths} show a cgroup tree and a readable proc
     * root, and the engine's API everywhere else.
     */
    public static Sampler create(HostPaths paths, ContainerEngine engine, Executor apiPool, Clock clock) {
        CgroupLocator locator = CgroupLocator.detect(paths);
        Optional<KernelStats> kernel = Optional.empty();
        if (locator.version() != CgroupLocator.Version.NONE) {
            try {
                kernel = Optional.of(KernelStats.open(paths));
            } catch (IOException e) {
                LOG.info("Cannot read {} ({}); container figures come from the engine's API",
                        paths.procRoot().resolve("meminfo"), e.toString());
            }
        }
        LOG.info("Container figures: cgroup {} under {}, processes under {}{}", locator.version(),
                paths.cgroupRoot(), paths.procRoot(), kernel.isPresent() ? "" : " (kernel path off)");
        return new Sampler(kernel, locator, engine, apiPool, clock);
    }

    /** A sampler that uses only the engine's API (a remote engine, or a host whose files are not mounted). */
    public static Sampler engineOnly(ContainerEngine engine, Executor apiPool, Clock clock) {
        return new Sampler(Optional.empty(), CgroupLocator.none(), engine, apiPool, clock);
    }

    /**
     * Reads every target. Returns the readings in the order of {@code targets}, leaving out containers that vanished,
     * failed, or whose API call did not answer within {@code deadline}.
     */
    public Reading read(Collection<Target> targets, Duration deadline) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        Instant now = clock.instant();
        Optional<KernelStats.HostCpu> host = readHost();
        Map<ContainerId, Sample> fromKernel = new HashMap<>();
        Map<ContainerId, CompletableFuture<ContainerStats>> fromApi = new LinkedHashMap<>();
        int busy = 0;
        for (Target t : targets) {
            Route route = route(t);
            if (route.files().isPresent() && host.isPresent()) {
                try {
                    ContainerStats stats = kernel.orElseThrow().read(t.id(), route.files().get(), host.get(), now);
                    fromKernel.put(t.id(), new Sample(t, stats, Sample.Source.KERNEL));
                    continue;
                } catch (NoSuchFileException e) {
                    // The container stopped between the roster update and now; the engine's event will follow.
                    routes.remove(t.id());
                    continue;
                } catch (IOException | RuntimeException e) {
                    LOG.info("Cannot read the figures of container {} from the kernel ({}); using the engine's API",
                            t.id().shortForm(), e.toString());
                    routes.put(t.id(), new Route(t.pid(), Optional.empty()));
                }
            }
            if (!apiInFlight.add(t.id())) {
                busy++;
                continue;
            }
            CompletableFuture<ContainerStats> call = new CompletableFuture<>();
            try {
                apiPool.execute(() -> {
                    ContainerStats stats = null;
                    RuntimeException failure = null;
                    try {
                        stats = engine.stats(t.id());
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    if (stats != null) {
                        apiLatest.put(t.id(), new Answer(stats, System.nanoTime()));
                    }
                    // free the container before anyone can see the answer, so the next reading may ask again
                    apiInFlight.remove(t.id());
                    if (failure == null) {
                        call.complete(stats);
                    } else {
                        call.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                apiInFlight.remove(t.id()); // the pool is shut down
                continue;
            }
            fromApi.put(t.id(), call);
        }
        awaitApi(fromApi, deadlineNanos);
        List<Sample> samples = new ArrayList<>();
        int viaApi = 0;
        for (Target t : targets) {
            Sample s = fromKernel.get(t.id());
            if (s == null) {
                Answer latest = apiLatest.get(t.id());
                if (latest != null && System.nanoTime() - latest.nanoTime() <= RECENT.toNanos()) {
                    s = new Sample(t, latest.stats(), Sample.Source.ENGINE_API);
                    viaApi++;
                }
            }
            if (s != null) {
                samples.add(s);
            }
        }
        int missed = targets.size() - samples.size();
        return new Reading(samples, fromKernel.size(), viaApi, missed, busy);
    }

    /** Drops what is known about a container that is no longer running. */
    public void forget(ContainerId id) {
        routes.remove(id);
        apiLatest.remove(id);
    }

    private Optional<KernelStats.HostCpu> readHost() {
        if (kernel.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(kernel.get().readHost());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the host's CPU time ({}); this reading uses the engine's API", e.toString());
            return Optional.empty();
        }
    }

    private Route route(Target t) {
        Route known = routes.get(t.id());
        if (known != null && known.pid() == t.pid()) {
            return known;
        }
        Optional<ContainerFiles> files = kernel.isPresent()
                ? locator.locate(t.id(), t.pid(), t.hostNetwork()) : Optional.empty();
        if (files.isEmpty()) {
            LOG.debug("Container {} is read through the engine's API", t.id().shortForm());
        }
        Route route = new Route(t.pid(), files);
        routes.put(t.id(), route);
        return route;
    }

    /** Waits until every call of this reading has answered, or the deadline; the answers land in apiLatest. */
    private static void awaitApi(Map<ContainerId, CompletableFuture<ContainerStats>> calls, long deadlineNanos) {
        for (Map.Entry<ContainerId, CompletableFuture<ContainerStats>> e : calls.entrySet()) {
            long left = Math.max(0, deadlineNanos - System.nanoTime());
            try {
                e.getValue().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException timeout) {
                LOG.debug("The engine did not answer for container {} in time", e.getKey().shortForm());
            } catch (ExecutionException failed) {
                Throwable cause = failed.getCause();
                // Not found: the container vanished. Unavailable: the engine listener reports that once.
                if (!(cause instanceof EngineException)) {
                    LOG.warn("Reading the statistics of container {} failed: {}", e.getKey().shortForm(),
                            cause.toString());
                } else {
                    LOG.debug("No statistics for container {}: {}", e.getKey().shortForm(), cause.toString());
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** An API answer and when it came. */
    private record Answer(ContainerStats stats, long nanoTime) {
    }

    /** How one container is read: its kernel files, or nothing for the engine's API. */
    private record Route(long pid, Optional<ContainerFiles> files) {
    }

    /**
     * One reading of many containers: the samples in roster order, how many came from each path, how many
     * containers were left out, and how many of those because their previous API call was still running.
     */
    public record Reading(List<Sample> samples, int kernel, int engineApi, int missed, int busy) {
        public Reading {
            samples = List.copyOf(samples);
        }
    }
}

package io.gantry.core.twin;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.Signals;
import io.gantry.core.container.Subscription;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of the twin's view of the engine. Engine events are handed to its own thread ({@code gantry-twin}),
 * where the container is inspected and the difference from the last view goes to the {@link TwinSink}; on a resync
 * (engine back, MQTT reconnect, device change) everything is read again and the sink gets the whole picture.
 *
 * <p>The engine's events are the only thing that changes the twin: commands change the engine, and the events they
 * cause come back here (DESIGN.md, Flow). Because the view is a diff of inspections, a repeated or coalesced event
 * publishes nothing twice, and an {@code update} or {@code rename} that changed nothing publishes nothing, as in
 * Kanto (kanto-things §4.2).
 *
 * <p>Docker's {@code die} does not say whether the container was stopped or ended on its own; Kanto does
 * ({@link TwinStatus#STOPPED} vs {@link TwinStatus#EXITED}). The mirror keeps that knowledge: a {@code kill} or
 * {@code stop} event since the container last started means it was stopped. It is kept in memory only, so after an
 * agent restart a container stopped earlier is reported as EXITED.
 *
 * <p>A new container is published in state CREATED first, as Kanto does, even when it has already started by the
 * time its {@code create} event is inspected; its current state follows.
 *
 * <p>An exit is published from the {@code die} event itself, before the container is inspected: Docker holds the
 * container while it cleans up after the process, so an inspect sent on {@code die} is answered only after that
 * (docs/benchmarks.md has the figures), which would be most of the twin's delay. The event carries
 * the exit code; the rest of the state is the running state before it. The inspect that follows corrects anything
 * the event could not know (a restart policy that restarts the container, an unexpected OOM flag), with one
 * exception: {@code finishedAt} stays the event's time when it is all that differs. Docker records the exit some
 * milliseconds before it announces it, and publishing the state twice for that would double every stop's traffic;
 * a resync reads the engine's own time again. A die after a SIGKILL waits for the inspect as before: a forced
 * removal ({@code docker rm -f}, the twin's {@code remove} with force) starts with one, and Kanto reports such a
 * container DEAD once and then deleted, never stopped in between (kanto-things §4.2).
 */
public final class TwinMirror {

    private static final Logger LOG = LoggerFactory.getLogger(TwinMirror.class);

    private final ContainerEngine engine;
    private final TwinSink sink;
    private final Executor loop;

    // Owned by the loop thread.
    private final Map<ContainerId, TwinContainer> known = new LinkedHashMap<>();
    // Owned by the loop thread: containers with an oom event since they last started, for an exit's oomKilled.
    private final Set<ContainerId> outOfMemory = new HashSet<>();
    // Owned by the loop thread: containers sent a SIGKILL since they last started (a forced removal may follow).
    private final Set<ContainerId> killedHard = new HashSet<>();
    // Written on the loop only; concurrent because commands read it for their messages.
    private final Set<ContainerId> stoppedFromOutside = ConcurrentHashMap.newKeySet();
    // True from a start or resync call until its full read begins.
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private volatile Subscription subscription;
    private volatile boolean running;

    /** {@code loop} must run one task at a time, in order: normally {@code Threads.single("gantry-twin")}. */
    public TwinMirror(ContainerEngine engine, TwinSink sink, Executor loop) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** Subscribes to the engine's events and hands the sink the whole picture; events that race it queue behind. */
    public void start() {
        running = true;
        readQueued.set(true);
        submit(() -> {
            readQueued.set(false);
            if (!running) {
                return;
            }
            if (subscription == null) {
                subscription = engine.subscribe(new Listener());
            }
            readAll("start");
        });
    }

    /**
     * Reads everything again and hands the sink the whole picture (MQTT reconnect, device change). A call while a
     * full read is queued but not begun adds none: that read is made after this call anyway. So the twin that starts
     * on a connection already up (start, then the connection's resync) reads and publishes everything once.
     */
    public void resync() {
        if (!readQueued.compareAndSet(false, true)) {
            return;
        }
        submit(() -> {
            readQueued.set(false);
            if (running) {
                readAll("resync");
            }
        });
    }

    /**
     * True when the container was stopped from outside since it last started, so that an exited container is
     * {@link TwinStatus#STOPPED}. Any thread; the answer may lag the engine by the events still queued.
     */
    public boolean stoppedFromOutside(ContainerId id) {
        return stoppedFromOutside.contains(id);
    }

    /** Stops listening; queued work is dropped. The sink gets no further calls once queued tasks have run. */
    public void stop() {
        running = false;
        Subscription s = subscription;
        subscription = null;
        if (s != null) {
            s.close();
        }
    }

    private final class Listener implements EngineListener {
        @Override
        public void onEvent(ContainerEvent event) {
            submit(() -> {
                if (running) {
                    apply(event);
                }
            });
        }

        @Override
        public void onResync() {
            LOG.info("Container engine is back; re-reading every container");
            resync();
        }

        @Override
        public void onUnavailable(String reason) {
            LOG.warn("Container engine unavailable ({}); the twin is re-read when it is back", reason);
        }
    }

    /** Every task is guarded, so a failing sink or a surprise from the engine never stops the mirror. */
    private void submit(Runnable task) {
        loop.execute(Threads.guarded(task));
    }

    private void apply(ContainerEvent event) {
        ContainerId id = event.id();
        switch (event.kind()) {
            case STARTED -> {
                stoppedFromOutside.remove(id);
                outOfMemory.remove(id);
                killedHard.remove(id);
            }
            case KILLED -> {
                // A signal alone changes nothing the twin shows; the die event that follows does.
                stoppedFromOutside.add(id);
                if (event.attribute("signal").filter(signal -> Signals.same(signal, "SIGKILL")).isPresent()) {
                    killedHard.add(id);
                }
                return;
            }
            case STOPPED -> stoppedFromOutside.add(id);
            case REMOVED -> {
                forget(id);
                return;
            }
            case OUT_OF_MEMORY -> {
                // Not part of Kanto's state by itself; the exit that follows reports oomKilled.
                outOfMemory.add(id);
                return;
            }
            case HEALTH_CHANGED -> {
                // Not part of Kanto's state.
                return;
            }
            case DIED -> exitFrom(event).ifPresent(exited -> record(exited, event.kind()));
            default -> {
                // CREATED, PAUSED, RESUMED, RENAMED, UPDATED: inspect below.
            }
        }
        refresh(id, event.kind());
    }

    /** The state a die event announces, built on the running state before it; empty when that is not known. */
    private Optional<TwinContainer> exitFrom(ContainerEvent event) {
        ContainerId id = event.id();
        TwinContainer before = known.get(id);
        Optional<Long> exitCode = event.exitCode();
        if (before == null || exitCode.isEmpty() || !before.container().state().isRunning()
                || killedHard.contains(id)) {
            return Optional.empty();
        }
        ContainerState s = before.container().state();
        ContainerState exited = new ContainerState(ContainerStatus.EXITED, 0, exitCode.get(), s.error(),
                s.startedAt(), Optional.of(event.time()), outOfMemory.contains(id), s.restartCount(), s.health());
        return Optional.of(TwinContainer.of(before.container().withState(exited), stoppedFromOutside.contains(id)));
    }

    private void refresh(ContainerId id, ContainerEvent.Kind cause) {
        Optional<Container> inspected;
        try {
            inspected = engine.inspect(id);
        } catch (EngineException e) {
            LOG.warn("Cannot inspect container {} after its {} event: {}", id.shortForm(), cause, e.getMessage());
            return;
        }
        if (inspected.isEmpty()) {
            forget(id);
            return;
        }
        TwinContainer now = TwinContainer.of(inspected.get(), stoppedFromOutside.contains(id));
        TwinContainer before = known.get(id);
        if (cause == ContainerEvent.Kind.CREATED && before == null
                && inspected.get().status() != ContainerStatus.CREATED) {
            // Created and started before the inspect was answered: Kanto publishes a new container CREATED, then
            // RUNNING (its integration tests check that sequence), so the creation is published as it was.
            record(TwinContainer.of(inspected.get().withState(ContainerState.created()), false), cause);
            before = known.get(id);
        }
        record(before != null && now.sameStateButExitTime(before)
                ? now.withExitTime(before.container().state().finishedAt().orElseThrow()) : now, cause);
    }

    /** Makes {@code now} the known view and hands the sink what changed. */
    private void record(TwinContainer now, ContainerEvent.Kind cause) {
        ContainerId id = now.id();
        TwinContainer before = known.put(id, now);
        Set<TwinSink.Change> what = EnumSet.noneOf(TwinSink.Change.class);
        if (before == null) {
            what.add(TwinSink.Change.CREATED);
        } else {
            if (!now.sameState(before)) {
                what.add(TwinSink.Change.STATE);
            }
            if (!now.sameName(before)) {
                what.add(TwinSink.Change.NAME);
            }
            if (!now.sameConfig(before)) {
                what.add(TwinSink.Change.CONFIG);
            }
        }
        if (!what.isEmpty()) {
            LOG.debug("Container {} changed ({}): {}", id.shortForm(), cause, what);
            sink.changed(now, what);
        }
    }

    private void forget(ContainerId id) {
        stoppedFromOutside.remove(id);
        outOfMemory.remove(id);
        killedHard.remove(id);
        TwinContainer last = known.remove(id);
        if (last != null) {
            LOG.debug("Container {} removed", id.shortForm());
            sink.removed(id, Optional.of(last));
        }
    }

    private void readAll(String why) {
        List<Container> all;
        try {
            all = engine.list();
        } catch (EngineException e) {
            LOG.warn("Cannot list containers ({}): {}; the twin is re-read when the engine is back", why,
                    e.getMessage());
            return;
        }
        known.clear();
        Set<ContainerId> present = new HashSet<>();
        for (Container c : all) {
            present.add(c.id());
            known.put(c.id(), TwinContainer.of(c, stoppedFromOutside.contains(c.id())));
        }
        stoppedFromOutside.retainAll(present);
        outOfMemory.retainAll(present);
        killedHard.retainAll(present);
        LOG.debug("Read {} containers ({})", known.size(), why);
        sink.replaceAll(List.copyOf(known.values()));
    }
}

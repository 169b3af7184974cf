package io.gantry.update;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineInfo;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.Health;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.LogSink;
import io.gantry.core.container.PullEvent;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Wraps {@link FakeContainerEngine} with the controls the update agent's tests need: fail the N-th call of an
 * operation or a call that matches a predicate, "kill" the agent at the N-th engine change (before or after the
 * change happens), and give the containers of an image a health check (STARTING once started).
 */
final class ControlledEngine implements ContainerEngine {

    /** Thrown in place of an engine call to simulate the agent's process dying there: not a RuntimeException. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String where) {
            super("simulated crash " + where, null, false, false);
        }
    }

    private record Rule(String op, Predicate<Object> matches, EngineException failure) {
    }

    final FakeContainerEngine fake;
    private final Set<ImageRef> healthChecked = new HashSet<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final List<String> changes = new ArrayList<>();
    private final CountDownLatch crashed = new CountDownLatch(1);
    private int crashAt = -1;
    private boolean crashAfter;
    private int changeCount;
    private final Set<String> callingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Gate> gates = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> callLog = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Holds calls of one operation until {@code parties} of them are under way at once (or a timeout passed). */
    private static final class Gate {
        private final CountDownLatch together;
        private final long timeoutMillis;
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();

        Gate(int parties, long timeoutMillis) {
            this.together = new CountDownLatch(parties);
            this.timeoutMillis = timeoutMillis;
        }

        void enter() {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            together.countDown();
            try {
                together.await(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void leave() {
            inFlight.decrementAndGet();
        }
    }

    ControlledEngine(FakeContainerEngine fake) {
        this.fake = fake;
    }

    /** Containers of this image have a health check: they report STARTING once started. */
    synchronized ControlledEngine withHealthCheck(String image) {
        healthChecked.add(ImageRef.parse(image));
        return this;
    }

    /** The {@code nth} call (1-based, counted from now) of {@code op} ("create", "start", "rename", …) fails. */
    synchronized void failNth(String op, int nth, EngineException failure) {
        int target = calls.getOrDefault(op, 0) + nth;
        rules.add(new Rule(op, ignored -> calls.getOrDefault(op, 0) == target, failure));
    }

    /** Every call of {@code op} whose argument (container id, name or spec) matches fails. */
    synchronized void failWhen(String op, Predicate<Object> matches, EngineException failure) {
        rules.add(new Rule(op, matches, failure));
    }

    /**
     * Calls of {@code op} ("create", "start") wait until {@code parties} of them are under way at the same time, or
     * at most {@code timeoutMillis}; {@link #mostAtOnce} then tells how many there were at once.
     */
    void gather(String op, int parties, long timeoutMillis) {
        gates.put(op, new Gate(parties, timeoutMillis));
    }

    /** The most calls of a gathered {@code op} that were under way at the same time. */
    int mostAtOnce(String op) {
        return gates.get(op).most.get();
    }

    /** "begin start web", "end start web", …: when each engine change began and ended, in order. */
    List<String> callLog() {
        synchronized (callLog) {
            return List.copyOf(callLog);
        }
    }

    /** The {@code nth} engine change from now "kills" the agent, before or after the engine made it. */
    synchronized void crashAt(int nth, boolean after) {
        crashAt = changeCount + nth;
        crashAfter = after;
    }

    boolean awaitCrash(long seconds) throws InterruptedException {
        return crashed.await(seconds, TimeUnit.SECONDS);
    }

    synchronized int changeCount() {
        return changeCount;
    }

    synchronized List<String> changes() {
        return List.copyOf(changes);
    }

    /** The names of the threads that have called the engine. */
    Set<String> callingThreads() {
        return Set.copyOf(callingThreads);
    }

    void forgetCallingThreads() {
        callingThreads.clear();
    }

    private void seen() {
        callingThreads.add(Thread.currentThread().getName());
    }

    private void change(String op, Object argument, Runnable call) {
        boolean crashBefore;
        boolean crashAfterCall;
        EngineException failure = null;
        synchronized (this) {
            calls.merge(op, 1, Integer::sum);
            changeCount++;
            changes.add(op + " " + argument);
            for (Rule rule : rules) {
                if (rule.op().equals(op) && rule.matches().test(argument)) {
                    failure = rule.failure();
                    break;
                }
            }
            crashBefore = failure == null && changeCount == crashAt && !crashAfter;
            crashAfterCall = failure == null && changeCount == crashAt && crashAfter;
        }
        if (crashBefore) {
            crashed.countDown();
            throw new SimulatedCrash("before " + op + " " + argument);
        }
        Gate gate = gates.get(op);
        if (failure != null && gate == null) {
            throw failure;
        }
        callLog.add("begin " + op + " " + argument);
        if (gate != null) {
            // A failing call is held with the others too, so that it fails while they are under way.
            gate.enter();
        }
        try {
            if (failure != null) {
                throw failure;
            }
            call.run();
        } finally {
            if (gate != null) {
                gate.leave();
            }
            callLog.add("end " + op + " " + argument);
        }
        if (crashAfterCall) {
            crashed.countDown();
            throw new SimulatedCrash("after " + op + " " + argument);
        }
    }

    private String nameOf(ContainerId id) {
        return fake.inspect(id).map(c -> c.name().value()).orElse(id.shortForm());
    }

    @Override
    public EngineInfo info() {
        seen();
        return fake.info();
    }

    @Override
    public List<Container> list() {
        seen();
        return fake.list();
    }

    @Override
    public Optional<Container> inspect(ContainerId id) {
        seen();
        return fake.inspect(id);
    }

    @Override
    public Optional<Container> find(String nameOrId) {
        seen();
        return fake.find(nameOrId);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        seen();
        ContainerId[] id = new ContainerId[1];
        change("create", spec.name().map(ContainerName::value).orElse("?"),
                () -> id[0] = fake.create(spec, gantryLabels));
        return id[0];
    }

    @Override
    public void start(ContainerId id) {
        seen();
        change("start", nameOf(id), () -> {
            fake.start(id);
            boolean checked;
            synchronized (this) {
                checked = fake.inspect(id).map(c -> healthChecked.contains(c.image())).orElse(false);
            }
            if (checked && fake.inspect(id).map(c -> c.state().isRunning()).orElse(false)) {
                fake.setHealth(id, Health.STARTING);
            }
        });
    }

    @Override
    public void stop(ContainerId id, StopOptions options) {
        seen();
        change("stop", nameOf(id), () -> fake.stop(id, options));
    }

    @Override
    public void pause(ContainerId id) {
        seen();
        change("pause", nameOf(id), () -> fake.pause(id));
    }

    @Override
    public void resume(ContainerId id) {
        seen();
        change("resume", nameOf(id), () -> fake.resume(id));
    }

    @Override
    public void rename(ContainerId id, ContainerName newName) {
        seen();
        change("rename", nameOf(id) + " " + newName, () -> fake.rename(id, newName));
    }

    @Override
    public void update(ContainerId id, ContainerUpdate update) {
        seen();
        change("update", nameOf(id), () -> fake.update(id, update));
    }

    @Override
    public void remove(ContainerId id, boolean force) {
        seen();
        change("remove", nameOf(id), () -> fake.remove(id, force));
    }

    @Override
    public void logs(ContainerId id, LogOptions options, LogSink sink) {
        seen();
        fake.logs(id, options, sink);
    }

    @Override
    public ContainerStats stats(ContainerId id) {
        seen();
        return fake.stats(id);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        seen();
        return fake.subscribe(listener);
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        seen();
        return fake.imagePresent(image);
    }

    @Override
    public Optional<io.gantry.core.image.ImageFacts> imageFacts(ImageRef image) {
        seen();
        return fake.imageFacts(image);
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        seen();
        fake.pull(image, progress);
    }
}

package io.gantry.core.policy;

import io.gantry.config.TrustConfig;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds containers that Gantry did not create to the allowlist, when it is enforced: each one whose image is not
 * allowed is stopped at once ({@code trust.unmanaged} {@code stop}) or only reported ({@code report}), and never
 * removed. It checks on every engine {@code create} and {@code start} event, at {@link #start}, on
 * {@link #rulesChanged}, and on every {@link #onResync} (the engine or its event stream came back, so events may have
 * been missed).
 *
 * <p>Threading: the engine listener methods only hand work to the guard's own thread ({@code gantry-trust}), which
 * makes every engine call. Engine failures are logged and the next event or resync checks again. {@code counted} is
 * told {@code stopped} or {@code reported} for every finding, and {@code recorded} gets it as a {@link Refusal}.
 */
public final class UnmanagedGuard implements EngineListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UnmanagedGuard.class);
    /** Stopped at once: SIGTERM and, without waiting, SIGKILL. */
    private static final StopOptions AT_ONCE = new StopOptions(Optional.of(Duration.ZERO), Optional.empty());

    private final ContainerEngine engine;
    private final Admission admission;
    private final Supplier<TrustConfig> trust;
    private final Consumer<String> counted;
    private final Consumer<Refusal> recorded;
    private final Clock clock;
    private final ExecutorService worker = Threads.single("gantry-trust");
    private Subscription subscription;

    public UnmanagedGuard(ContainerEngine engine, Admission admission, Supplier<TrustConfig> trust,
                          Consumer<String> counted) {
        this(engine, admission, trust, counted, r -> { }, Clock.systemUTC());
    }

    /** A guard whose findings also go to {@code recorded} (the agent's {@link RecentRefusals}), timed by {@code clock}. */
    public UnmanagedGuard(ContainerEngine engine, Admission admission, Supplier<TrustConfig> trust,
                          Consumer<String> counted, Consumer<Refusal> recorded, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.counted = Objects.requireNonNull(counted, "counted");
        this.recorded = Objects.requireNonNull(recorded, "recorded");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Subscribes to the engine's events and checks every container there is. */
    public synchronized void start() {
        subscription = engine.subscribe(this);
        submit(this::checkAll);
    }

    /** The trust section changed (enforcement switched on, the allowlist narrowed): checks every container. */
    public void rulesChanged() {
        submit(this::checkAll);
    }

    @Override
    public void onEvent(ContainerEvent event) {
        if (event.kind() == ContainerEvent.Kind.CREATED || event.kind() == ContainerEvent.Kind.STARTED) {
            submit(() -> check(event.id()));
        }
    }

    @Override
    public void onResync() {
        submit(this::checkAll);
    }

    private void submit(Runnable task) {
        if (!trust.get().enforce()) {
            return;
        }
        try {
            worker.execute(Threads.guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("The trust guard stops: {}", e.toString());
        }
    }

    private void checkAll() {
        try {
            engine.list().stream().filter(c -> !c.managed()).forEach(this::check);
        } catch (EngineException e) {
            LOG.warn("Cannot check the containers against the allowlist now: {}", e.getMessage());
        }
    }

    private void check(ContainerId id) {
        try {
            engine.inspect(id).filter(c -> !c.managed()).ifPresent(this::check);
        } catch (EngineException e) {
            LOG.warn("Cannot check container {} against the allowlist now: {}", id.shortForm(), e.getMessage());
        }
    }

    private void check(Container c) {
        Optional<ContainerRefusedException> problem;
        try {
            problem = admission.existingProblem(c);
        } catch (EngineException e) {
            LOG.warn("Cannot check container {} against the allowlist now: {}", c.name(), e.getMessage());
            return;
        }
        if (problem.isEmpty()) {
            return;
        }
        String what = "Container " + c.name() + " (" + c.id().shortForm() + "), not created by Gantry, is "
                + problem.get().getMessage();
        if (trust.get().stopsUnmanaged() && c.status().isAlive()) {
            try {
                engine.stop(c.id(), AT_ONCE);
                LOG.warn("{}: stopped (it is kept for the operator)", what);
                found(Refusal.STOPPED, c, problem.get());
            } catch (EngineException e) {
                LOG.error("{}: stopping it failed: {}", what, e.getMessage());
            }
        } else if (c.status().isAlive() || !trust.get().stopsUnmanaged()) {
            LOG.warn("{}", what);
            found(Refusal.REPORTED, c, problem.get());
        }
    }

    private void found(String action, Container c, ContainerRefusedException problem) {
        counted.accept(action);
        recorded.accept(new Refusal(clock.instant(), Refusal.UNMANAGED, problem.rule(), problem.image(),
                problem.digest(), c.name().value(), action, "Container " + c.name() + ", not created by Gantry, is "
                + problem.getMessage()));
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        Threads.shutdown(worker, 5);
    }
}

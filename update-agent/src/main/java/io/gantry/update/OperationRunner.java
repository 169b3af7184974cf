package io.gantry.update;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.Subscription;
import io.gantry.update.journal.Journal;
import io.gantry.update.journal.JournalRecord;
import io.gantry.update.operation.DeathWatch;
import io.gantry.update.operation.FeedbackSink;
import io.gantry.update.operation.Interrupts;
import io.gantry.update.operation.Operation;
import io.gantry.update.operation.OperationInterrupted;
import io.gantry.update.operation.Reconciler;
import io.gantry.update.operation.Report;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one engine room for every change to managed containers: it owns the update thread ({@code gantry-update}),
 * the single {@link Reconciler}, {@link Journal}, {@link Interrupts}, {@link DeathWatch} and pools, and runs the
 * operations its fronts (the MQTT update agent, descriptor files) submit, one at a time, in the order they came.
 *
 * <p>Contract: {@link #register} the fronts, {@link #start()} once, {@link #stop()} once. The first task on the
 * update thread ends the operation a previous run left in the journal, through the front that owns it (one
 * recovery, at start). While an orchestrated operation waits for its update manager's commands ({@link #hold}),
 * it owns the journal: tasks submitted with {@link #call} wait until it has ended, tasks of {@link #execute} run.
 * A front's operations report their progress to its own {@link Front#sink()}. Lifecycle methods may be called from
 * any thread; {@link #reconciler()}, {@link #journal()}, {@link #hold} and {@link #recoverJournal()} only from tasks.
 */
public final class OperationRunner {

    /** A front: submits operations, receives their progress, and ends its own operations found in the journal. */
    public interface Front {
        /** Where the progress of this front's operations goes. */
        FeedbackSink sink();

        /** Whether an operation found in the journal is one of this front's. */
        boolean owns(JournalRecord record);

        /** Ends an operation of this front found in the journal; on the update thread. */
        void recover(JournalRecord record);
    }

    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    private static final int PULL_THREADS = 2;
    /**
     * Creates, starts, renames and updates run this many at a time: on a 2-core gateway the engine does more work per
     * second with a few calls under way than with one, and no more with many (docs/benchmarks.md, "Where the time goes").
     */
    private static final int ENGINE_CALL_THREADS = 4;
    /**
     * Stops and removals run this many at a time: they mostly wait for a container's process to end, so that N
     * containers that ignore SIGTERM take one stop timeout, not N.
     */
    private static final int ENGINE_WAIT_THREADS = 16;
    /** Where descriptor deployments journaled before there was one journal; recovered once at start. */
    private static final String FORMER_DEPLOYMENT_JOURNAL = "deployment";

    private final ContainerEngine engine;
    private final Journal journal;
    private final Journal formerJournal;
    private final ExecutorService owner = Threads.single("gantry-update");
    private final ExecutorService pulls = Threads.pool("gantry-update-pull", PULL_THREADS);
    private final ExecutorService engineCalls = Threads.pool("gantry-update-engine", ENGINE_CALL_THREADS);
    private final ExecutorService engineWaits = Threads.pool("gantry-update-wait", ENGINE_WAIT_THREADS);
    private final Interrupts interrupts = new Interrupts();
    private final DeathWatch deaths = new DeathWatch();
    private final Reconciler reconciler;
    private final List<Front> fronts = new CopyOnWriteArrayList<>();
    private Subscription deathSubscription;
    private boolean started;
    private boolean stopped;

    // Owned by the update thread.
    private FeedbackSink current = LoggedFeedback.INSTANCE;
    private boolean recovered;
    private boolean held;
    private final Queue<Runnable> waiting = new ArrayDeque<>();

    /** {@code config} supplies the settle time and health timeout of every operation, whichever front it is from. */
    public OperationRunner(ContainerEngine engine, Path stateDir, Supplier<UpdateAgentConfig> config) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.journal = new Journal(Objects.requireNonNull(stateDir, "stateDir"));
        this.formerJournal = new Journal(stateDir, FORMER_DEPLOYMENT_JOURNAL);
        this.reconciler = new Reconciler(engine, journal, new Routed(), Objects.requireNonNull(config, "config"),
                pulls, interrupts, deaths, engineCalls, engineWaits);
    }

    /** Adds a front; its operations found in the journal are recovered through it if it is there at the first task. */
    public void register(Front front) {
        fronts.add(Objects.requireNonNull(front, "front"));
    }

    public void unregister(Front front) {
        fronts.remove(front);
    }

    /** Watches container deaths for settling and recovers the journal; safe to call again (only the first counts). */
    public synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        deathSubscription = engine.subscribe(deaths);
        owner.execute(this::ensureRecovered);
    }

    /** Stops at the running operation's next safe point (it stays journaled) and releases the threads. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        interrupts.stop();
        if (deathSubscription != null) {
            deathSubscription.close();
        }
        Threads.shutdown(owner, 30);
        Threads.shutdown(pulls, 1);
        Threads.shutdown(engineCalls, 5);
        Threads.shutdown(engineWaits, 5);
        LOG.info("Operation runner stopped");
    }

    public Interrupts interrupts() {
        return interrupts;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public Journal journal() {
        return journal;
    }

    /** Runs {@code task} on the update thread, its operations reporting to {@code front}. */
    public void execute(Front front, Runnable task) {
        owner.execute(() -> as(front, task));
    }

    /**
     * Runs {@code task} on the update thread once no orchestrated operation holds the journal, and waits for it.
     *
     * @throws OperationInterrupted when the runner stops first, or {@code cancel} is completed
     */
    public <T> T call(Front front, Supplier<T> task, CompletableFuture<?> cancel) {
        CompletableFuture<T> result = new CompletableFuture<>();
        cancel.whenComplete((x, e) -> result.cancel(false));
        Runnable run = () -> {
            if (result.isDone()) {
                return;
            }
            try {
                result.complete(as(front, task));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        };
        try {
            owner.execute(() -> {
                if (held) {
                    waiting.add(run);
                } else {
                    run.run();
                }
            });
            return result.get();
        } catch (RejectedExecutionException | CancellationException e) {
            throw OperationInterrupted.stopping();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OperationInterrupted.stopping();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** On the update thread: an orchestrated operation holds the journal ({@code true}) or no longer does. */
    public void hold(boolean value) {
        held = value;
        while (!held && !waiting.isEmpty()) {
            waiting.poll().run();
        }
    }

    /**
     * On the update thread: ends the operation left in the journal (one whose rollback could not reach the engine,
     * or from before a restart) through the front that owns it; true when none is left.
     */
    public boolean recoverJournal() {
        for (Journal j : List.of(journal, formerJournal)) {
            Optional<JournalRecord> record = j.read();
            if (record.isEmpty()) {
                continue;
            }
            if (j == formerJournal) {
                if (journal.exists()) {
                    return false;   // the one journal's operation could not be ended yet; the former one waits
                }
                // Moved to the one journal first, so that ending the operation deletes it there.
                journal.write(record.get());
                j.delete();
            }
            Front front = fronts.stream().filter(f -> f.owns(record.get())).findFirst().orElse(null);
            if (front != null) {
                as(front, () -> front.recover(record.get()));
            } else if (record.get().isIdentifying()) {
                LOG.info("Desired state {} was being identified when the agent stopped; nothing was changed",
                        record.get().activityId());
                journal.delete();
            } else {
                LOG.info("Ending operation {} ({}) from the journal; no front for it is running", record.get()
                        .operationId(), record.get().activityId());
                reconciler.recover(Operation.recovered(record.get()));
            }
        }
        return !journal.exists() && !formerJournal.exists();
    }

    private void ensureRecovered() {
        if (recovered || interrupts.stopping()) {
            return;
        }
        recovered = true;
        try {
            recoverJournal();
        } catch (RuntimeException e) {
            LOG.warn("Cannot finish the journaled operation now ({}); it is retried before the next operation",
                    e.toString());
        }
    }

    private <T> T as(Front front, Supplier<T> task) {
        ensureRecovered();
        FeedbackSink previous = current;
        current = front.sink();
        try {
            return task.get();
        } finally {
            current = previous;
        }
    }

    private void as(Front front, Runnable task) {
        as(front, () -> {
            task.run();
            return null;
        });
    }

    /** The reconciler's sink: the progress goes to the front whose task runs. */
    private final class Routed implements FeedbackSink {
        @Override
        public void feedback(String activityId, Report report) {
            current.feedback(activityId, report);
        }

        @Override
        public void ended(String activityId) {
            current.ended(activityId);
        }
    }

    /** The sink of a front whose progress nobody subscribes to: each report is logged at DEBUG. */
    public enum LoggedFeedback implements FeedbackSink {
        INSTANCE;

        @Override
        public void feedback(String activityId, Report report) {
            LOG.debug("{}: {} {}", activityId, report.stage(), report.message());
        }

        @Override
        public void ended(String activityId) {
            // nothing to publish
        }
    }
}

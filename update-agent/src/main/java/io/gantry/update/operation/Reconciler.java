package io.gantry.update.operation;

import io.gantry.config.Durations;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.Health;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.StopOptions;
import io.gantry.update.journal.Journal;
import io.gantry.update.plan.StartOrder;
import io.gantry.update.plan.StepKind;
import io.gantry.update.protocol.ActionStatus;
import io.gantry.update.protocol.FeedbackStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the phases of an operation against the engine and reports each step (reference/kanto-cua.md
 * §3.4–3.6), replacing containers the safe way (DESIGN.md, "Replacing a container"):
 * <ul>
 * <li>DOWNLOAD pulls the images (in parallel, on a small pool) and creates each new container: a CREATE under its
 * own name, a RECREATE under a temporary name, because Docker allows one container per name.</li>
 * <li>UPDATE stops the old container of a RECREATE and renames it aside, stops a DESTROY's container (freeing its
 * ports for a successor), and updates an UPDATE's restart policy and resources in place.</li>
 * <li>ACTIVATE gives each RECREATE's new container the real name, starts new containers, makes sure CHECK and UPDATE
 * containers run, then lets the new ones settle: they must stay up for {@code settle_time}, and become healthy within
 * {@code health_timeout} if the image has a health check.</li>
 * <li>CLEANUP, once everything is activated, removes the old containers; this is the point of no return.</li>
 * </ul>
 * Any failure rolls back every action of the operation that has not been cleaned up: the containers it created are
 * removed (found by the operation's label, so a crash cannot hide them), old containers get their names back and
 * their previous run state, updated containers their previous settings. Destroys are only stopped before cleanup, so
 * they need no more than a restart to undo. Before every engine change the operation is journaled, so that a restart
 * can finish or roll back an operation the agent did not live to end.
 *
 * <p>Threading: every method runs on the update agent's owner thread; the engine calls block.
 */
public final class Reconciler {

    /** Label on every container an operation creates: the operation's id. */
    public static final String OPERATION_LABEL = "io.gantry.update.operation";
    /** Label on every container an operation creates: the component (container name) it is for. */
    public static final String COMPONENT_LABEL = "io.gantry.update.component";

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final ContainerEngine engine;
    private final Journal journal;
    private final FeedbackSink sink;
    private final Supplier<UpdateAgentConfig> config;
    private final ExecutorService pulls;
    private final Interrupts interrupts;
    private final DeathWatch deaths;
    private final Executor calls;
    private final Executor waits;

    /** A reconciler that makes its engine calls one after another on the owner thread. */
    public Reconciler(ContainerEngine engine, Journal journal, FeedbackSink sink, Supplier<UpdateAgentConfig> config,
                      ExecutorService pulls, Interrupts interrupts, DeathWatch deaths) {
        this(engine, journal, sink, config, pulls, interrupts, deaths, Runnable::run, Runnable::run);
    }

    /**
     * A reconciler that makes the independent engine calls of every phase several at a time: creates, starts,
     * renames and updates on {@code calls} (a small pool: they keep the engine busy), stops and removals, which
     * mostly wait for a container to end, on {@code waits} (a larger one); see {@link #runConcurrently}.
     */
    public Reconciler(ContainerEngine engine, Journal journal, FeedbackSink sink, Supplier<UpdateAgentConfig> config,
                      ExecutorService pulls, Interrupts interrupts, DeathWatch deaths, Executor calls,
                      Executor waits) {
        this.calls = calls;
        this.waits = waits;
        this.engine = engine;
        this.journal = journal;
        this.sink = sink;
        this.config = config;
        this.pulls = pulls;
        this.interrupts = interrupts;
        this.deaths = deaths;
    }

    // ---- phases ------------------------------------------------------------------------------------------------

    /**
     * DOWNLOAD: pulls images and creates the new containers; false when it failed (and was rolled back). A container
     * whose extra hosts name another container is only pulled for: it is created in ACTIVATE, just before it starts
     * (see {@link #createdWhenStarted}).
     */
    public boolean download(Operation op, BaselineState baseline) {
        return download(op, baseline, false);
    }

    /**
     * DOWNLOAD; with {@code startEarly} a new container that replaces nothing and needs no other container is also
     * started as soon as it is created (a failed start is left to ACTIVATE, which starts it again and reports).
     */
    private boolean download(Operation op, BaselineState baseline, boolean startEarly) {
        List<Action> relevant = relevant(baseline, Phase.DOWNLOAD, a -> a.kind().createsContainer());
        Map<ImageRef, Future<?>> images = startPulls(relevant);
        return runConcurrently(op, baseline, Phase.DOWNLOAD, relevant, true, a -> {
            awaitPull(op, images.get(a.desiredSpec().image()));
            if (createdWhenStarted(a)) {
                return Work.done("Image pulled; the container is created when it starts, after the containers its"
                        + " extra hosts name.");
            }
            if (startEarly && a.kind() == StepKind.CREATE && a.start() && !dependsOnOtherContainers(a)) {
                return new Work(createAndStartCall(op, a), "New container created.");
            }
            return new Work(createCall(op, a), "New container created.");
        }, Optional::empty);
    }

    /** The create of an action's new container, under its temporary name when it replaces one. */
    private Call<ContainerId> createCall(Operation op, Action a) {
        ContainerSpec spec = a.desiredSpec();
        ContainerSpec named = a.kind() == StepKind.RECREATE ? spec.withName(a.tempName()) : spec;
        Map<String, String> labels = labels(op, a);
        return new Call<>("create " + named.name().orElseThrow(), calls, () -> engine.create(named, labels), id -> {
            a.newId(id);
            a.completed(Effect.CREATED);
        });
    }

    /** A new container created and started at once; whether it started. */
    private record Created(ContainerId id, boolean started) {
    }

    /** The create of a CREATE's container followed by its start, whose failure only leaves it created. */
    private Call<Created> createAndStartCall(Operation op, Action a) {
        ContainerSpec spec = a.desiredSpec();
        Map<String, String> labels = labels(op, a);
        return new Call<>("create " + a.name(), calls, () -> {
            ContainerId id = engine.create(spec, labels);
            deaths.watch(id);
            try {
                engine.start(id);
                return new Created(id, true);
            } catch (EngineUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.debug("Early start of {} failed, ACTIVATE starts it again: {}", a.name(), e.toString());
                return new Created(id, false);
            }
        }, created -> {
            a.newId(created.id());
            a.completed(Effect.CREATED);
            if (created.started()) {
                a.completed(Effect.STARTED);
            }
        });
    }

    /**
     * Whether an action's container is created only when it starts: Docker writes {@code /etc/hosts} at creation, and
     * a {@code container_<x>} address is known only once {@code x} runs (Kanto resolves it at each start).
     */
    private static boolean createdWhenStarted(Action a) {
        return a.desired().map(s -> s.extraHosts().stream().anyMatch(h -> h.containerReference().isPresent()))
                .orElse(false);
    }

    /** UPDATE: sets old containers aside or stops them, and updates in place; false when it failed. */
    public boolean update(Operation op, BaselineState baseline) {
        List<Action> relevant = relevant(baseline, Phase.UPDATE, a -> a.kind() == StepKind.RECREATE
                || a.kind() == StepKind.DESTROY || a.kind() == StepKind.UPDATE);
        return runConcurrently(op, baseline, Phase.UPDATE, relevant, false, a -> {
            Container old = recordBefore(a);
            boolean alive = old.status().isAlive();
            String stopped = "Old container instance is stopped.";
            return switch (a.kind()) {
                // Setting aside renames to a name of the operation's own, so renames of several containers overlap.
                case RECREATE -> new Work(new Call<>(alive ? "stop " + old.name()
                        : "rename " + a.name() + " to " + a.asideName(), waits, () -> {
                            if (alive) {
                                engine.stop(old.id(), StopOptions.DEFAULT);
                            }
                            engine.rename(old.id(), a.asideName());
                            return null;
                        }, none -> {
                            if (alive) {
                                a.completed(Effect.OLD_STOPPED);
                            }
                            a.completed(Effect.OLD_ASIDE);
                        }), stopped);
                case DESTROY -> alive ? new Work(new Call<>("stop " + old.name(), waits, () -> {
                    engine.stop(old.id(), StopOptions.DEFAULT);
                    return null;
                }, none -> a.completed(Effect.OLD_STOPPED)), stopped) : Work.done(stopped);
                case UPDATE -> new Work(new Call<>("update " + a.name(), calls, () -> {
                    engine.update(old.id(), ContainerUpdate.to(a.desiredSpec()));
                    return null;
                }, none -> a.completed(Effect.SETTINGS_UPDATED)),
                        "Container instance is updated with new configuration.");
                default -> throw new IllegalStateException("UPDATE does not act on " + a.kind());
            };
        }, Optional::empty);
    }

    /** ACTIVATE: starts the new containers and lets them settle, keeps the others running; false when it failed. */
    public boolean activate(Operation op, BaselineState baseline) {
        List<Action> relevant = relevant(baseline, Phase.ACTIVATE, a -> a.kind() != StepKind.DESTROY);
        // Containers named by another's extra hosts start first. A desired state's cycles were refused at
        // identification; a descriptor file's container that names itself comes last and fails at its create.
        List<Action> inStartOrder = StartOrder.sortCyclesLast(relevant, Action::desired);
        List<Action> settling = new ArrayList<>();
        try {
            return runConcurrently(op, baseline, Phase.ACTIVATE, inStartOrder, true, a -> {
                switch (a.kind()) {
                    case CREATE, RECREATE -> {
                        if (a.newId().isEmpty() && createdWhenStarted(a)) {
                            Call<ContainerId> create = createCall(op, a);
                            change(op, a, create.what(), () -> create.record().accept(create.call().get()));
                        }
                        ContainerId id = a.newId().orElseThrow(() -> new IllegalStateException(
                                "ACTIVATE is possible only after the new container of " + a.name() + " was created"));
                        boolean rename = a.kind() == StepKind.RECREATE;
                        String started = "New container instance is started.";
                        if (!a.start()) {
                            String created = "New container instance is created; it is not started.";
                            return rename ? new Work(renameCall(a, id), created) : Work.done(created);
                        }
                        settling.add(a);
                        if (!rename && a.done().contains(Effect.STARTED)) {
                            return Work.done(started);
                        }
                        deaths.watch(id);
                        // The old containers were set aside in UPDATE, so the new ones take their names at once.
                        return new Work(new Call<>(rename ? "rename " + a.tempName() + " to " + a.name()
                                : "start " + a.name(), calls, () -> {
                                    if (rename) {
                                        engine.rename(id, a.name());
                                    }
                                    engine.start(id);
                                    return null;
                                }, none -> {
                                    if (rename) {
                                        a.completed(Effect.NEW_NAMED);
                                    }
                                    a.completed(Effect.STARTED);
                                }), started);
                    }
                    case CHECK, UPDATE -> {
                        if (!a.start()) {
                            return Work.done(a.kind() == StepKind.CHECK
                                    ? "Existing container instance is left as it is." : a.message());
                        }
                        return ensureRunning(a, a.kind() == StepKind.CHECK ? "Existing container instance is running."
                                : a.message());
                    }
                    default -> throw new IllegalStateException("ACTIVATE does not act on " + a.kind());
                }
            }, () -> settle(op, settling));
        } finally {
            settling.forEach(a -> a.newId().ifPresent(deaths::forget));
        }
    }

    /**
     * Carries out a whole operation at once: DOWNLOAD, UPDATE and ACTIVATE while they succeed, then CLEANUP, which
     * removes the old containers after a success and ends a failed (already rolled back) operation; what an update
     * manager would command, and what auto mode and descriptor deployments do.
     *
     * @return true when the operation ended {@code COMPLETED}: activated, and every old container removed
     * @throws OperationInterrupted at a safe point when the operation must stop
     */
    public boolean carryOut(Operation op) {
        BaselineState all = op.all();
        // No update manager waits between the phases, so new containers start as soon as they exist; unless the
        // operation stops a container (whose ports a new one may take over): then everything starts in ACTIVATE.
        boolean startEarly = op.actions().stream()
                .noneMatch(a -> a.kind() == StepKind.RECREATE || a.kind() == StepKind.DESTROY);
        try {
            boolean activated = download(op, all, startEarly) && update(op, all) && activate(op, all);
            LOG.debug("Operation {} {}", op.id(), activated ? "activated" : "failed and was rolled back");
            cleanup(op, all);
            return activated && op.outcome().isEmpty();
        } finally {
            op.actions().forEach(a -> a.newId().ifPresent(deaths::forget));
        }
    }

    /** The rename of a RECREATE's new container to the real name. */
    private Call<Void> renameCall(Action a, ContainerId id) {
        return new Call<>("rename " + a.tempName() + " to " + a.name(), calls, () -> {
            engine.rename(id, a.name());
            return null;
        }, none -> a.completed(Effect.NEW_NAMED));
    }

    /**
     * The engine work of an action in a concurrent phase: journaled as {@code what} before it is made, run on
     * {@code on}, and its result recorded ({@code record}, which notes the effects) on the owner thread.
     */
    private record Call<T>(String what, Executor on, Supplier<T> call, Consumer<T> record) {
    }

    /** What an action of a concurrent phase asks of the engine (nothing when its work is done) and its message. */
    private record Work(Call<?> call, String message) {
        static Work done(String message) {
            return new Work(null, message);
        }
    }

    /** An action's call under way (or its preparation's failure), and its outcome once recorded. */
    private final class Pending {
        private final Action action;
        private final Work work;
        private final CompletableFuture<?> future;
        private final RuntimeException prepareFailure;
        private boolean recorded;

        private Pending(Action action, Work work, CompletableFuture<?> future, RuntimeException prepareFailure) {
            this.action = action;
            this.work = work;
            this.future = future;
            this.prepareFailure = prepareFailure;
        }

        boolean failed() {
            return prepareFailure != null || future.isCompletedExceptionally();
        }

        /** Waits for the call, records its effect on the owner thread and returns the message; rethrows a failure. */
        @SuppressWarnings("unchecked")
        String finish() {
            if (prepareFailure != null) {
                throw prepareFailure;
            }
            Object result = join(future);
            if (work.call() != null && !recorded) {
                recorded = true;
                ((Consumer<Object>) work.call().record()).accept(result);
            }
            return work.message();
        }

        /** Waits for the call whatever it does and records its effect if it succeeded (before a rollback). */
        void drain() {
            if (prepareFailure != null || recorded) {
                return;
            }
            try {
                finish();
            } catch (RuntimeException | Error e) {
                LOG.debug("Engine call for {} failed while the phase was failing: {}", action.name(), e.toString());
            }
        }
    }

    /** The result of a call made on a pool; its failure rethrown as it was thrown. */
    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause.toString(), cause);
        }
    }

    /** Ends a phase whose actions all succeeded: a failure found only now ({@code afterAll}) fails it still. */
    private boolean close(Operation op, BaselineState baseline, Phase phase, PhaseRun run,
                          Supplier<Optional<Failure>> afterAll) {
        Optional<Failure> late = afterAll.get();
        if (late.isPresent()) {
            return fail(op, baseline, late.get().action(), phase, late.get().reason());
        }
        run.finish();
        return true;
    }

    /**
     * Runs a phase whose actions are independent engine calls (create, start) several at a time: each action is
     * prepared on the owner thread in plan order (waiting for its image, journaling its intent before its call, as in
     * {@link #change}) and its call handed to the call pool; then the actions are reported in plan order, exactly as
     * {@link #runPhase} reports them, each when its call has returned. A container that uses another one's network or
     * address ({@code network=container:…}, a {@code host} naming a container) waits for every call before it.
     *
     * <p>A failure stops the preparation of further actions; the calls under way are waited for and recorded, and
     * the rollback then undoes everything the phase did, the actions after the failing one included (their intents
     * were journaled, and their containers carry the operation's label).
     */
    private boolean runConcurrently(Operation op, BaselineState baseline, Phase phase, List<Action> relevant,
                                    boolean ordered, Function<Action, Work> prepare,
                                    Supplier<Optional<Failure>> afterAll) {
        PhaseRun run = new PhaseRun(op, baseline, phase);
        List<Pending> pending = new ArrayList<>();
        try {
            for (Action a : relevant) {
                if (pending.stream().anyMatch(Pending::failed)) {
                    break;
                }
                if (ordered && dependsOnOtherContainers(a)) {
                    pending.forEach(p -> p.future.exceptionally(e -> null).join());
                }
                pending.add(prepare(op, a, prepare));
            }
            for (Pending p : pending) {
                if (p.prepareFailure instanceof OperationInterrupted interrupted) {
                    throw interrupted;
                }
                run.begin(p.action);
                run.succeeded(p.finish());
                p.action.markPhaseDone(phase);
            }
            return close(op, baseline, phase, run, afterAll);
        } catch (OperationInterrupted e) {
            pending.forEach(Pending::drain);
            throw e;
        } catch (RuntimeException e) {
            pending.forEach(Pending::drain);
            return fail(op, baseline, run.current(), phase, reason(e));
        } catch (Error e) {
            pending.forEach(Pending::drain);
            throw e;
        }
    }

    private Pending prepare(Operation op, Action a, Function<Action, Work> prepare) {
        try {
            interrupts.check(op.sequence());
            Work work = prepare.apply(a);
            if (work.call() == null) {
                return new Pending(a, work, CompletableFuture.completedFuture(null), null);
            }
            a.begin(work.call().what());
            journal.write(op.toJournal());
            LOG.debug("Operation {}: {}", op.id(), work.call().what());
            return new Pending(a, work, CompletableFuture.supplyAsync(work.call().call(), work.call().on()), null);
        } catch (RuntimeException e) {
            return new Pending(a, null, CompletableFuture.completedFuture(null), e);
        }
    }

    /** Whether a container uses another container's network or address, which must then exist (and run) first. */
    private static boolean dependsOnOtherContainers(Action a) {
        return createdWhenStarted(a)
                || a.desired().map(s -> s.network().kind() == NetworkMode.Kind.CONTAINER).orElse(false);
    }

    /**
     * ROLLBACK as a command: undoes what the baseline's actions did. Unlike Kanto (which restores nothing for an
     * update in place and leaves destroyed containers stopped), every change is undone.
     */
    public boolean rollback(Operation op, BaselineState baseline) {
        return rollback(op, baseline, baseline.actions(), null, "", true);
    }

    /**
     * CLEANUP: after a successful activation removes the old containers; otherwise rolls back what the baseline
     * did (Kanto leaves it half-done, §3.5). Ends the operation when no baseline is left.
     */
    public void cleanup(Operation op, BaselineState baseline) {
        FeedbackStatus result = FeedbackStatus.CLEANUP_SUCCESS;
        boolean activated = baseline.status() == FeedbackStatus.ACTIVATION_SUCCESS && !op.failed();
        if (activated) {
            List<Action> olds = new ArrayList<>();
            for (Action a : baseline.actions()) {
                if (!a.committed() && !a.rolledBack()) {
                    a.commit();
                    if (a.kind() == StepKind.RECREATE || a.kind() == StepKind.DESTROY) {
                        olds.add(a);
                    }
                }
            }
            if (op.actions().stream().anyMatch(Action::touched)) {
                // Records the commits. An operation that only checked containers never journaled anything.
                writeJournalQuietly(op);
            }
            if (!removeOlds(op, olds)) {
                result = FeedbackStatus.CLEANUP_FAILURE;
            }
        } else if (!op.failed() && !rollback(op, baseline, baseline.actions(), null, "", false)) {
            result = FeedbackStatus.CLEANUP_FAILURE;
        }
        publish(op, result, "", baseline);
        op.cleaned(baseline);
        if (op.ended()) {
            end(op, activated && result == FeedbackStatus.CLEANUP_SUCCESS);
        }
    }

    /** Stops an operation for good: rolls back what it did and ends it {@code INCOMPLETE} with {@code reason}. */
    public void abort(Operation op, String reason) {
        if (op.failed()) {
            op.problem(reason);
        } else {
            op.fail(reason);
        }
        BaselineState all = op.all();
        FeedbackStatus kept = all.status();
        rollback(op, all, op.actions(), null, "", false);
        all.status(kept);
        cleanup(op, all);
    }

    /**
     * Ends an operation found in the journal at start: actions whose cleanup had begun are finished, every other
     * action that changed something is rolled back, and the outcome is reported under the operation's activity id.
     */
    public void recover(Operation op) {
        LOG.info("Recovering update operation {} (activity {}) from the journal", op.id(), op.activityId());
        BaselineState all = op.all();
        boolean finished = removeOlds(op, op.actions().stream()
                .filter(a -> a.committed() && (a.kind() == StepKind.RECREATE || a.kind() == StepKind.DESTROY))
                .toList());
        boolean undo = op.actions().stream().anyMatch(Action::needsRollback);
        boolean allCommitted = op.actions().stream().allMatch(Action::committed);
        if (!op.journaledFailure().isEmpty()) {
            op.fail(op.journaledFailure() + " (the rollback was completed when the update agent started again)");
        } else if (undo) {
            op.fail("The update agent stopped during this operation; it was rolled back when the agent started"
                    + " again.");
        } else if (!allCommitted) {
            op.fail("The update agent stopped during this operation, before it changed anything.");
        }
        if (undo) {
            rollback(op, all, op.actions(), null, "", false);
        }
        publish(op, finished ? FeedbackStatus.CLEANUP_SUCCESS : FeedbackStatus.CLEANUP_FAILURE, "", all);
        op.cleaned(all);
        end(op, finished && allCommitted && !op.failed());
    }

    // ---- failure and rollback -------------------------------------------------------------------------------

    private boolean fail(Operation op, BaselineState baseline, Action failing, Phase phase, String reason) {
        FeedbackStatus status = phase.failure;
        if (failing != null) {
            failing.report(phase.actionFailure, reason);
        }
        baseline.status(status);
        String summary = status + (failing == null ? "" : " of " + failing.componentId()) + ": " + reason;
        LOG.warn("Update operation {} (activity {}) failed: {}; rolling back", op.id(), op.activityId(), summary);
        op.fail(summary);
        publish(op, status, reason, baseline);
        rollback(op, baseline, op.actions(), failing, reason, false);
        // The baseline keeps its failure status, so that the commands Kanto allows after it still apply.
        baseline.status(status);
        return false;
    }

    /**
     * Undoes the actions in {@code scope} that changed something, reporting as Kanto does (§3.6): {@code ROLLBACK}
     * with each action {@code UPDATING} in turn, then {@code UPDATE_FAILURE} with what was restored, and a final
     * {@code ROLLBACK_SUCCESS} or {@code ROLLBACK_FAILURE}.
     */
    private boolean rollback(Operation op, BaselineState baseline, List<Action> scope, Action failing,
                             String failingReason, boolean reportIfNothing) {
        List<Action> undo = scope.stream().filter(Action::needsRollback).toList();
        if (undo.isEmpty()) {
            if (reportIfNothing) {
                baseline.status(FeedbackStatus.ROLLBACK_SUCCESS);
                publish(op, FeedbackStatus.ROLLBACK_SUCCESS, op.outcome(), baseline);
            }
            return true;
        }
        LOG.info("Rolling back {} action(s) of update operation {}", undo.size(), op.id());
        writeJournalQuietly(op);
        Map<Action, String> errors = removeCreated(op, undo);
        restoreOlds(op, undo, errors);
        Action previous = null;
        String previousMessage = "";
        boolean ok = true;
        for (Action a : undo) {
            if (previous != null) {
                previous.report(ActionStatus.UPDATE_FAILURE, previousMessage);
            }
            a.report(ActionStatus.UPDATING, a.message());
            baseline.status(FeedbackStatus.ROLLBACK);
            publish(op, FeedbackStatus.ROLLBACK, "", baseline);
            String error = errors.get(a);
            a.rolledBack(error == null);
            ok &= error == null;
            if (error != null) {
                op.problem("the rollback of " + a.componentId() + " failed: " + error);
            }
            String restored = rolledBackMessage(a);
            previousMessage = error != null ? "Rollback failed: " + error
                    : a == failing ? failingReason + ". " + restored : restored;
            previous = a;
        }
        previous.report(ActionStatus.UPDATE_FAILURE, previousMessage);
        writeJournalQuietly(op);
        FeedbackStatus status = ok ? FeedbackStatus.ROLLBACK_SUCCESS : FeedbackStatus.ROLLBACK_FAILURE;
        baseline.status(status);
        publish(op, status, op.outcome(), baseline);
        return ok;
    }

    /** Removes every container the operation created for the actions in {@code undo}, newest first. */
    private Map<Action, String> removeCreated(Operation op, List<Action> undo) {
        Map<Action, String> errors = new HashMap<>();
        List<Container> created;
        try {
            created = engine.list().stream()
                    .filter(c -> c.gantryLabel(OPERATION_LABEL).filter(op.id()::equals).isPresent()).toList();
        } catch (RuntimeException e) {
            if (e instanceof EngineUnavailableException) {
                op.keepJournal(true);
            }
            undo.forEach(a -> errors.put(a, reason(e)));
            return errors;
        }
        Map<Container, Action> removals = new LinkedHashMap<>();
        Map<Container, CompletableFuture<Void>> removed = new LinkedHashMap<>();
        for (int i = undo.size() - 1; i >= 0; i--) {
            Action a = undo.get(i);
            for (Container c : created) {
                if (c.gantryLabel(COMPONENT_LABEL).filter(a.name().value()::equals).isPresent()) {
                    removals.put(c, a);
                    removed.put(c, CompletableFuture.runAsync(() -> engine.remove(c.id(), true), waits));
                }
            }
        }
        removals.forEach((c, a) -> {
            try {
                join(removed.get(c));
                LOG.info("Rollback: removed new container {} ({})", c.name(), c.id().shortForm());
            } catch (RuntimeException e) {
                failed(op, errors, a, e);
            }
        });
        return errors;
    }

    private static void failed(Operation op, Map<Action, String> errors, Action a, RuntimeException e) {
        if (e instanceof EngineUnavailableException) {
            op.keepJournal(true);
        }
        errors.put(a, reason(e));
    }

    /**
     * Restores the old containers of {@code undo} whose new ones are gone ({@code errors} gets the failures):
     * several at a time, except those that use another container's network or address, which follow one by one
     * once the others run again.
     */
    private void restoreOlds(Operation op, List<Action> undo, Map<Action, String> errors) {
        List<Action> todo = undo.stream().filter(a -> !errors.containsKey(a) && a.oldId().isPresent()).toList();
        List<CompletableFuture<Boolean>> first = todo.stream()
                .map(a -> CompletableFuture.supplyAsync(() -> restoreOld(a, false), waits)).toList();
        List<Action> later = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            try {
                if (!join(first.get(i))) {
                    later.add(todo.get(i));
                }
            } catch (RuntimeException e) {
                failed(op, errors, todo.get(i), e);
            }
        }
        for (Action a : later) {
            try {
                restoreOld(a, true);
            } catch (RuntimeException e) {
                failed(op, errors, a, e);
            }
        }
    }

    /**
     * Gives an old container back its name, settings and run state; each step is skipped if already so. Returns
     * false, having changed nothing, for a container that uses another one's network or address unless
     * {@code dependents}.
     */
    private boolean restoreOld(Action a, boolean dependents) {
        ContainerId id = a.oldId().orElseThrow();
        Container old = engine.inspect(id).orElseThrow(() -> new IllegalStateException("the previous container "
                + a.name() + " (" + id.shortForm() + ") no longer exists"));
        if (!dependents && (old.spec().network().kind() == NetworkMode.Kind.CONTAINER
                || old.spec().extraHosts().stream().anyMatch(h -> h.containerReference().isPresent()))) {
            return false;
        }
        if (!old.name().equals(a.name())) {
            engine.rename(id, a.name());
            LOG.info("Rollback: container {} has its name {} back", id.shortForm(), a.name());
        }
        if (a.oldSettings().isPresent() && a.touched()) {
            engine.update(id, a.oldSettings().get());
        }
        if (a.before().isPresent()) {
            // A rename or an update does not change the run state read above.
            restoreRunState(id, a.before().get(), old.status());
        }
        return true;
    }

    private void restoreRunState(ContainerId id, ContainerStatus before, ContainerStatus now) {
        switch (before) {
            case RUNNING, RESTARTING -> {
                if (now == ContainerStatus.PAUSED) {
                    engine.resume(id);
                } else if (!now.isAlive()) {
                    engine.start(id);
                }
            }
            case PAUSED -> {
                if (!now.isAlive()) {
                    engine.start(id);
                }
                if (engine.inspect(id).map(Container::status).orElse(ContainerStatus.DEAD) == ContainerStatus.RUNNING) {
                    engine.pause(id);
                }
            }
            default -> {
                if (now.isAlive()) {
                    engine.stop(id, StopOptions.DEFAULT);
                }
            }
        }
    }

    private static String rolledBackMessage(Action a) {
        String prefix = "Update unsuccessful, but rollback succeeded - ";
        return prefix + switch (a.kind()) {
            case CREATE -> "new container instance destroyed.";
            case RECREATE -> "new container instance destroyed, old container instance restored.";
            case UPDATE -> "container configuration restored from older instance.";
            case DESTROY -> "old container instance restored.";
            case CHECK -> "container run state restored.";
        };
    }

    // ---- steps -----------------------------------------------------------------------------------------------

    private List<Action> relevant(BaselineState baseline, Phase phase, Predicate<Action> acts) {
        return baseline.actions().stream().filter(acts).filter(a -> !a.phaseDone(phase))
                .filter(a -> !a.rolledBack() && !a.committed()).toList();
    }

    /** Journals the intent, then asks the engine; the effect is recorded only when the engine said yes. */
    private void change(Operation op, Action a, String what, Runnable call) {
        a.begin(what);
        journal.write(op.toJournal());
        LOG.debug("Operation {}: {}", op.id(), what);
        call.run();
    }

    /** Inspects the old container the first time the operation is about to change it, so rollback knows its state. */
    private Container recordBefore(Action a) {
        ContainerId id = a.requireOldId();
        Container old = engine.inspect(id).orElseThrow(() -> new IllegalStateException("container " + a.name()
                + " (" + id.shortForm() + ") no longer exists"));
        if (a.before().isEmpty()) {
            a.before(old.status());
            if (a.kind() == StepKind.UPDATE) {
                a.oldSettings(ContainerUpdate.to(old.spec()));
            }
        }
        return old;
    }

    /** Kanto's ensure-running (§3.4 ACTIVATE): running is fine, paused is resumed, anything else is started. */
    private Work ensureRunning(Action a, String message) {
        Container c = recordBefore(a);
        if (c.status() == ContainerStatus.PAUSED) {
            return new Work(new Call<>("resume " + a.name(), calls, () -> {
                engine.resume(c.id());
                return null;
            }, none -> a.completed(Effect.RESUMED)), message);
        } else if (!c.status().isAlive()) {
            return new Work(new Call<>("start " + a.name(), calls, () -> {
                engine.start(c.id());
                return null;
            }, none -> a.completed(Effect.STARTED)), message);
        }
        return Work.done(message);
    }

    /** Removes the old containers of {@code olds} several at a time; false when one could not be removed. */
    private boolean removeOlds(Operation op, List<Action> olds) {
        List<CompletableFuture<Optional<Container>>> removals = olds.stream()
                .map(a -> CompletableFuture.supplyAsync(() -> {
                    Optional<Container> old = a.oldId().flatMap(engine::inspect);
                    old.ifPresent(c -> engine.remove(c.id(), true));
                    return old;
                }, waits)).toList();
        boolean ok = true;
        for (int i = 0; i < olds.size(); i++) {
            Action a = olds.get(i);
            try {
                join(removals.get(i)).ifPresent(old -> LOG.info("Removed old container {} ({})", old.name(),
                        old.id().shortForm()));
                a.completed(Effect.OLD_REMOVED);
                if (a.kind() == StepKind.DESTROY) {
                    a.report(ActionStatus.REMOVAL_SUCCESS, "Old container instance is removed.");
                }
            } catch (RuntimeException e) {
                a.report(ActionStatus.REMOVAL_FAILURE, reason(e));
                op.problem("the old container of " + a.componentId() + " could not be removed: " + reason(e));
                ok = false;
            }
        }
        return ok;
    }

    private static Map<String, String> labels(Operation op, Action a) {
        Map<String, String> labels = new HashMap<>(a.labels());
        labels.put(OPERATION_LABEL, op.id());
        labels.put(COMPONENT_LABEL, a.name().value());
        return labels;
    }

    // ---- pulls and settling ----------------------------------------------------------------------------------

    private Map<ImageRef, Future<?>> startPulls(List<Action> actions) {
        Map<ImageRef, Future<?>> futures = new LinkedHashMap<>();
        for (Action a : actions) {
            ImageRef image = a.desiredSpec().image();
            futures.computeIfAbsent(image, i -> pulls.submit(() -> {
                engine.ensureImage(i, progress -> LOG.debug("Pull {}: {}", i, progress.status()));
                return null;
            }));
        }
        return futures;
    }

    private void awaitPull(Operation op, Future<?> pull) {
        while (true) {
            interrupts.check(op.sequence());
            try {
                pull.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // a safe point: check for a newer desired state, then wait on
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw new IllegalStateException("the image pull failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw OperationInterrupted.stopping();
            }
        }
    }

    private record Failure(Action action, String reason) {
    }

    /**
     * Watches the started containers until they have stayed up for the settle time (and are healthy, when their image
     * has a health check). A container that ends with a non-zero exit code, is killed for memory, turns unhealthy or
     * stays unhealthy past the health timeout fails the activation; one that ends with 0 has done its job.
     */
    private Optional<Failure> settle(Operation op, List<Action> started) {
        if (started.isEmpty()) {
            return Optional.empty();
        }
        UpdateAgentConfig settings = config.get();
        long begin = System.nanoTime();
        while (true) {
            interrupts.check(op.sequence());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
            boolean waiting = elapsed.compareTo(settings.settleTime()) < 0;
            for (Action a : started) {
                ContainerId id = a.newId().orElseThrow();
                Optional<Container> c = engine.inspect(id);
                if (c.isEmpty()) {
                    return Optional.of(new Failure(a, "container " + a.name() + " disappeared while settling"));
                }
                OptionalLong died = deaths.failure(id);
                ContainerState state = c.get().state();
                if (died.isPresent()) {
                    return Optional.of(new Failure(a, "container " + a.name() + " exited with code "
                            + died.getAsLong() + " while settling"));
                }
                if (state.oomKilled()) {
                    return Optional.of(new Failure(a, "container " + a.name() + " was killed for lack of memory"));
                }
                if ((state.status() == ContainerStatus.EXITED || state.status() == ContainerStatus.DEAD
                        || state.status() == ContainerStatus.RESTARTING) && state.exitCode() != 0) {
                    return Optional.of(new Failure(a, "container " + a.name() + " exited with code "
                            + state.exitCode() + " while settling"));
                }
                if (state.health() == Health.UNHEALTHY) {
                    return Optional.of(new Failure(a, "container " + a.name() + " is unhealthy"));
                }
                if (state.health() == Health.STARTING && state.status().isAlive()) {
                    if (elapsed.compareTo(settings.healthTimeout()) >= 0) {
                        return Optional.of(new Failure(a, "container " + a.name() + " did not become healthy within "
                                + Durations.format(settings.healthTimeout())));
                    }
                    waiting = true;
                }
            }
            if (!waiting) {
                return Optional.empty();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw OperationInterrupted.stopping();
            }
        }
    }

    // ---- reporting -------------------------------------------------------------------------------------------

    private void end(Operation op, boolean completed) {
        FeedbackStatus status = completed ? FeedbackStatus.COMPLETED : FeedbackStatus.INCOMPLETE;
        LOG.info("Update operation {} (activity {}) ended {}{}", op.id(), op.activityId(), status,
                completed ? "" : ": " + op.outcome());
        sink.feedback(op.activityId(), op.feedback(status, completed ? "" : op.outcome(), ""));
        if (op.keepJournal()) {
            LOG.warn("The engine could not be reached to finish rolling back operation {}; the journal is kept and"
                    + " the rollback is retried", op.id());
        } else {
            try {
                journal.delete();
            } catch (RuntimeException e) {
                LOG.error("Cannot delete the update journal: {}", e.getMessage());
            }
        }
        sink.ended(op.activityId());
    }

    private void publish(Operation op, FeedbackStatus status, String message, BaselineState baseline) {
        sink.feedback(op.activityId(), op.feedback(status, message, baseline.label()));
    }

    private void writeJournalQuietly(Operation op) {
        try {
            journal.write(op.toJournal());
        } catch (RuntimeException e) {
            LOG.error("Cannot journal update operation {}: {}", op.id(), e.getMessage());
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Kanto's way of reporting a phase (§3.4): when an action starts, the previous one is marked successful with
     * its message; the last one is marked when the phase ends.
     */
    private final class PhaseRun {
        private final Operation op;
        private final BaselineState baseline;
        private final Phase phase;
        private Action last;
        private String lastMessage = "";

        PhaseRun(Operation op, BaselineState baseline, Phase phase) {
            this.op = op;
            this.baseline = baseline;
            this.phase = phase;
        }

        void begin(Action a) {
            if (last != null) {
                last.report(phase.actionSuccess, lastMessage);
            }
            last = a;
            a.report(phase.actionRunning, a.message());
            baseline.status(phase.running);
            publish(op, phase.running, "", baseline);
        }

        void succeeded(String message) {
            lastMessage = message;
        }

        Action current() {
            return last;
        }

        void finish() {
            if (last != null) {
                last.report(phase.actionSuccess, lastMessage);
            }
            baseline.status(phase.success);
            publish(op, phase.success, "", baseline);
        }
    }
}

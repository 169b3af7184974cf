package io.gantry.update.operation;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.update.journal.Journal;
import io.gantry.update.plan.StartOrder;
import io.gantry.update.plan.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the phases of an operation against the engine and reports each step (reference/kanto-cua.md
 * §3.4–3.6), replacing containers the safe way (DESIGN.md, "Replacing a container"): DOWNLOAD pulls and creates,
 * UPDATE stops and sets aside, ACTIVATE names, starts and lets settle, CLEANUP removes the old containers, the point
 * of no return. Any failure rolls back every action not yet cleaned up ({@link Rollback}); before every engine
 * change the operation is journaled ({@link Progress}), so that a restart can finish or roll it back.
 *
 * <p>Contract: every method runs on the update agent's owner thread and blocks; the engine calls of a phase are
 * made several at a time ({@link EngineCalls}) and reported in plan order ({@link PhaseRunner}).
 */
public final class Reconciler {

    /** Label on every container an operation creates: the operation's id. */
    public static final String OPERATION_LABEL = "io.gantry.update.operation";
    /** Label on every container an operation creates: the component (container name) it is for. */
    public static final String COMPONENT_LABEL = io.gantry.core.container.Container.COMPONENT_LABEL;

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final ContainerEngine engine;
    private final DeathWatch deaths;
    private final Progress progress;
    private final EngineCalls calls;
    private final Rollback rollback;
    private final PhaseRunner phases;
    private final ActionWork work;
    private final Pulls pulls;
    private final Settling settling;

    /** A reconciler that makes its engine calls one after another on the owner thread. */
    public Reconciler(ContainerEngine engine, Journal journal, FeedbackSink sink, Supplier<UpdateAgentConfig> config,
                      ExecutorService pulls, Interrupts interrupts, DeathWatch deaths) {
        this(engine, journal, sink, config, pulls, interrupts, deaths, Runnable::run, Runnable::run);
    }

    /**
     * A reconciler that makes the independent engine calls of every phase several at a time: creates, starts,
     * renames and updates on {@code calls} (a small pool: they keep the engine busy), stops and removals, which
     * mostly wait for a container to end, on {@code waits} (a larger one).
     */
    public Reconciler(ContainerEngine engine, Journal journal, FeedbackSink sink, Supplier<UpdateAgentConfig> config,
                      ExecutorService pulls, Interrupts interrupts, DeathWatch deaths, Executor calls,
                      Executor waits) {
        this.engine = engine;
        this.deaths = deaths;
        this.progress = new Progress(journal, sink);
        this.calls = new EngineCalls(calls, waits, progress);
        this.rollback = new Rollback(engine, this.calls, progress);
        this.phases = new PhaseRunner(this.calls, progress, interrupts, rollback);
        this.work = new ActionWork(engine, this.calls, deaths, progress);
        this.pulls = new Pulls(engine, pulls, interrupts);
        this.settling = new Settling(engine, config, interrupts, deaths);
    }

    /**
     * DOWNLOAD: pulls images and creates the new containers; false when it failed (and was rolled back). A container
     * whose extra hosts name another container is only pulled for: it is created in ACTIVATE, just before it starts.
     */
    public boolean download(Operation op, BaselineState baseline) {
        return download(op, baseline, false);
    }

    private boolean download(Operation op, BaselineState baseline, boolean startEarly) {
        List<Action> relevant = relevant(baseline, Phase.DOWNLOAD, a -> a.kind().createsContainer());
        Map<ImageRef, Future<?>> images = pulls.start(relevant);
        return phases.run(op, baseline, Phase.DOWNLOAD, relevant, true, a -> {
            pulls.await(op, images.get(a.desiredSpec().image()));
            return work.download(op, a, startEarly);
        }, Optional::empty);
    }

    /** UPDATE: sets old containers aside or stops them, and updates in place; false when it failed. */
    public boolean update(Operation op, BaselineState baseline) {
        return update(op, baseline, false);
    }

    private boolean update(Operation op, BaselineState baseline, boolean startEarly) {
        List<Action> relevant = relevant(baseline, Phase.UPDATE, a -> a.kind() == StepKind.RECREATE
                || a.kind() == StepKind.DESTROY || a.kind() == StepKind.UPDATE);
        return phases.run(op, baseline, Phase.UPDATE, relevant, false, a -> work.update(a, startEarly),
                Optional::empty);
    }

    /** ACTIVATE: starts the new containers and lets them settle, keeps the others running; false when it failed. */
    public boolean activate(Operation op, BaselineState baseline) {
        List<Action> relevant = relevant(baseline, Phase.ACTIVATE, a -> a.kind() != StepKind.DESTROY);
        // Containers named by another's extra hosts start first. A desired state's cycles were refused at
        // identification; a descriptor file's container that names itself comes last and fails at its create.
        List<Action> inStartOrder = StartOrder.sortCyclesLast(relevant, Action::desired);
        List<Action> started = new ArrayList<>();
        try {
            return phases.run(op, baseline, Phase.ACTIVATE, inStartOrder, true, a -> work.activate(op, a, started),
                    () -> settling.settle(op, started));
        } finally {
            started.forEach(a -> a.newId().ifPresent(deaths::forget));
        }
    }

    /**
     * Carries out a whole operation at once: DOWNLOAD, UPDATE and ACTIVATE while they succeed, then CLEANUP, which
     * removes the old containers after a success and ends a failed (already rolled back) operation; what auto mode
     * and descriptor deployments do. No update manager waits between the phases, so a new container starts as soon
     * as it exists (unless the operation stops a container, whose ports a new one may take over), and a replacement
     * as soon as its old container is set aside; a start that fails that early is made again in ACTIVATE.
     *
     * @return true when the operation ended {@code COMPLETED}: activated, and every old container removed
     * @throws OperationInterrupted at a safe point when the operation must stop
     */
    public boolean carryOut(Operation op) {
        BaselineState all = op.all();
        boolean startEarly = op.actions().stream()
                .noneMatch(a -> a.kind() == StepKind.RECREATE || a.kind() == StepKind.DESTROY);
        try {
            boolean activated = download(op, all, startEarly) && update(op, all, true) && activate(op, all);
            LOG.debug("Operation {} {}", op.id(), activated ? "activated" : "failed and was rolled back");
            cleanup(op, all);
            return activated && op.outcome().isEmpty();
        } finally {
            op.actions().forEach(a -> a.newId().ifPresent(deaths::forget));
        }
    }

    /**
     * ROLLBACK as a command: undoes what the baseline's actions did. Unlike Kanto (which restores nothing for an
     * update in place and leaves destroyed containers stopped), every change is undone.
     */
    public boolean rollback(Operation op, BaselineState baseline) {
        return rollback.undo(op, baseline, baseline.actions(), null, "", true);
    }

    /**
     * CLEANUP: after a successful activation removes the old containers; otherwise rolls back what the baseline
     * did (Kanto leaves it half-done, §3.5). Ends the operation when no baseline is left.
     */
    public void cleanup(Operation op, BaselineState baseline) {
        Stage result = Stage.CLEANUP_SUCCESS;
        boolean activated = baseline.status() == Stage.ACTIVATION_SUCCESS && !op.failed();
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
                progress.journalQuietly(op);
            }
            if (!removeOlds(op, olds)) {
                result = Stage.CLEANUP_FAILURE;
            }
        } else if (!op.failed() && !rollback.undo(op, baseline, baseline.actions(), null, "", false)) {
            result = Stage.CLEANUP_FAILURE;
        }
        progress.publish(op, result, "", baseline);
        op.cleaned(baseline);
        if (op.ended()) {
            progress.end(op, activated && result == Stage.CLEANUP_SUCCESS);
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
        Stage kept = all.status();
        rollback.undo(op, all, op.actions(), null, "", false);
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
            rollback.undo(op, all, op.actions(), null, "", false);
        }
        progress.publish(op, finished ? Stage.CLEANUP_SUCCESS : Stage.CLEANUP_FAILURE, "", all);
        op.cleaned(all);
        progress.end(op, finished && allCommitted && !op.failed());
    }

    /**
     * Removes the old containers of {@code olds} several at a time; false when one could not be removed. When the
     * engine could not be reached the journal is kept, so that the removal is retried.
     */
    private boolean removeOlds(Operation op, List<Action> olds) {
        List<CompletableFuture<Optional<Container>>> removals = olds.stream()
                .map(a -> calls.onWaits(() -> {
                    Optional<Container> old = a.oldId().flatMap(engine::inspect);
                    old.ifPresent(c -> engine.remove(c.id(), true));
                    return old;
                })).toList();
        boolean ok = true;
        for (int i = 0; i < olds.size(); i++) {
            Action a = olds.get(i);
            try {
                EngineCalls.join(removals.get(i)).ifPresent(old -> LOG.info("Removed old container {} ({})", old.name(),
                        old.id().shortForm()));
                a.completed(Effect.OLD_REMOVED);
                if (a.kind() == StepKind.DESTROY) {
                    a.report(ActionState.REMOVAL_SUCCESS, "Old container instance is removed.");
                }
            } catch (RuntimeException e) {
                op.failedToEnd(e);
                a.report(ActionState.REMOVAL_FAILURE, Progress.reason(e));
                op.problem("the old container of " + a.componentId() + " could not be removed: " + Progress.reason(e));
                ok = false;
            }
        }
        return ok;
    }

    private List<Action> relevant(BaselineState baseline, Phase phase, Predicate<Action> acts) {
        return baseline.actions().stream().filter(acts).filter(a -> !a.phaseDone(phase))
                .filter(a -> !a.rolledBack() && !a.committed()).toList();
    }
}

package io.gantry.update;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.config.Durations;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.policy.ContainerRefusedException;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.journal.Journal;
import io.gantry.update.journal.JournalRecord;
import io.gantry.update.operation.BaselineState;
import io.gantry.update.operation.FeedbackSink;
import io.gantry.update.operation.Interrupts;
import io.gantry.update.operation.Operation;
import io.gantry.update.operation.OperationInterrupted;
import io.gantry.update.operation.Reconciler;
import io.gantry.update.operation.Report;
import io.gantry.update.operation.Stage;
import io.gantry.update.plan.Ownership;
import io.gantry.update.plan.Plan;
import io.gantry.update.plan.Planner;
import io.gantry.update.plan.Step;
import io.gantry.update.plan.StartOrder;
import io.gantry.update.protocol.Command;
import io.gantry.update.protocol.UpdateTopics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations, one at a time, on the update agent's owner thread ({@code gantry-update}), which alone holds the
 * operation state: identification (reference/kanto-cua.md §3.2), then in auto mode the whole sequence at once, in
 * orchestrated mode the commands as they come (§3.4); a newer desired state supersedes the operation at its next
 * safe point; at start, an operation left in the journal is finished or rolled back.
 *
 * <p>Auto mode runs exactly what an update manager would send (DOWNLOAD, UPDATE, ACTIVATE, CLEANUP for the whole
 * operation), so the feedback is the same in both modes.
 */
final class OperationDriver {

    private static final Logger LOG = LoggerFactory.getLogger(OperationDriver.class);
    private static final Duration ENGINE_POLL = Duration.ofMillis(500);
    static final String LEFTOVER = "An earlier operation could not be ended yet (the container engine cannot be"
            + " reached to finish its rollback or its cleanup); it is retried before the next desired state.";
    static final String STOPPED_WHILE_IDENTIFYING = "The update agent stopped while it identified this desired state;"
            + " nothing was changed.";

    private final ContainerEngine engine;
    private final OperationRunner runner;
    private final Reconciler reconciler;
    private final Journal journal;
    private final FeedbackSink sink;
    private final Interrupts interrupts;
    private final Supplier<UpdateAgentConfig> config;
    private final Supplier<UpdateTopics> topics;
    /** The orchestrated operation waiting for commands, if any. */
    private Operation pending;

    OperationDriver(ContainerEngine engine, OperationRunner runner, FeedbackSink sink,
                    Supplier<UpdateAgentConfig> config, Supplier<UpdateTopics> topics) {
        this.engine = engine;
        this.runner = runner;
        this.reconciler = runner.reconciler();
        this.journal = runner.journal();
        this.sink = sink;
        this.interrupts = runner.interrupts();
        this.config = config;
        this.topics = topics;
    }

    /**
     * Finishes or rolls back an operation of a desired state found in the journal; an activity that was still being
     * identified gets its final IDENTIFICATION_FAILED, so that no update manager waits for ever.
     */
    void recover(JournalRecord record) {
        if (interrupts.stopping()) {
            return;
        }
        if (record.isIdentifying()) {
            LOG.info("Desired state {} was being identified when the update agent stopped; it is ended",
                    record.activityId());
            identificationFailed(record.activityId(), STOPPED_WHILE_IDENTIFYING);
        } else {
            reconciler.recover(Operation.recovered(record));
        }
    }

    /** Rolls back the orchestrated operation waiting for commands, if any: the update agent stops, the runner not. */
    void abandon() {
        if (pending != null) {
            Operation op = pending;
            pending(null);
            reconciler.abort(op, "The update agent was stopped while this operation waited for commands.");
        }
    }

    /** The orchestrated operation waiting for commands; it holds the one journal until it ends. */
    private void pending(Operation op) {
        pending = op;
        runner.hold(op != null);
    }

    void desiredState(String activityId, long sequence, DesiredState desired) {
        if (interrupts.stopping()) {
            return;
        }
        Optional<String> newer = interrupts.supersededBy(sequence);
        if (newer.isPresent()) {
            LOG.info("Desired state {} was superseded by {} before it started", activityId, newer.get());
            sink.feedback(activityId, Report.of(Stage.INCOMPLETE,
                    "Superseded by activity " + newer.get() + " before it started."));
            return;
        }
        if (pending == null && journal.exists() && !runner.recoverJournal()) {
            // an earlier operation's rollback could not reach the engine; it goes first (a waiting operation's own
            // journal is not such a leftover: it is aborted below), and while it cannot be ended its journal stays
            sink.feedback(activityId, Report.of(Stage.IDENTIFICATION_FAILED, LEFTOVER));
            return;
        }
        if (pending != null) {
            Operation previous = pending;
            pending(null);
            reconciler.abort(previous, "Superseded by activity " + activityId + ".");
        }
        // Journaled from IDENTIFYING on: an agent killed from here on ends the activity at its next start.
        if (!journaled(activityId, JournalRecord.identifying(activityId))) {
            return;
        }
        sink.feedback(activityId, Report.of(Stage.IDENTIFYING, ""));
        Operation op;
        Plan plan;
        // One read of the settings: the mode journaled with the operation is the mode it runs in.
        UpdateAgentConfig settings = config.get();
        try {
            List<Container> current = listWaitingForTheEngine(activityId, sequence, settings.engineWait());
            // Containers deployed from descriptor files are left alone like system containers (docs/descriptors.md).
            plan = Planner.plan(desired, current, Ownership.leftAloneByDesiredStates(current,
                    desired.effectiveSystemContainers(settings.systemContainers())));
            StartOrder.check(desired, current);
            op = Operation.identified(activityId, sequence, desired, plan, topics.get().names(), settings.mode());
        } catch (IdentificationException e) {
            identificationFailed(activityId, e.getMessage());
            return;
        } catch (OperationInterrupted e) {
            if (e.supersededBy().isPresent()) {
                sink.feedback(activityId, Report.of(Stage.INCOMPLETE, "Superseded by activity "
                        + e.supersededBy().get() + " while it waited for the container engine."));
                deleteJournal();
            } // stopping: the journal ends the activity at the next start
            return;
        } catch (RuntimeException e) {
            identificationFailed(activityId, "cannot list the containers: " + e.getMessage());
            return;
        }
        Optional<String> refused = refusal(plan);
        if (refused.isPresent()) {
            identificationFailed(activityId, refused.get());
            return;
        }
        LOG.info("Desired state {} identified: {} action(s)", activityId, op.actions().size());
        // before IDENTIFIED goes out, so that a kill right after it is reported as stopped before any change
        if (op.hasActions() && !journaled(activityId, op.toJournal())) {
            return;
        }
        sink.feedback(activityId, op.report(Stage.IDENTIFIED, op.warnings(), ""));
        if (!op.hasActions()) {
            sink.feedback(activityId, op.report(Stage.COMPLETED, "", ""));
            deleteJournal();
            sink.ended(activityId);
            return;
        }
        if (settings.orchestrated()) {
            pending(op);
            return;
        }
        runAtOnce(op);
    }

    /** Auto mode: the phases an update manager would command, back to back, then CLEANUP whatever happened. */
    private void runAtOnce(Operation op) {
        try {
            reconciler.carryOut(op);
        } catch (OperationInterrupted e) {
            interrupted(op, e);
        }
    }

    /** Orchestrated mode: one command of the update manager (§3.4), with Kanto's checks and failure statuses. */
    void command(String activityId, Command command, String baseline) {
        if (interrupts.stopping()) {
            return;
        }
        Operation op = pending;
        if (op == null) {
            LOG.warn("Ignoring command {} for activity {}: no operation is waiting for commands", command, activityId);
            return;
        }
        if (!op.activityId().equals(activityId)) {
            LOG.warn("Ignoring command {} for activity {}: the operation waiting for commands is {}", command,
                    activityId, op.activityId());
            return;
        }
        Optional<BaselineState> found = op.baseline(baseline);
        if (found.isEmpty()) {
            sink.feedback(activityId, op.report(command.failureStatus(), "Unknown baseline " + baseline, baseline));
            return;
        }
        BaselineState state = found.get();
        if (!command.allowedIn(state.status())) {
            sink.feedback(activityId, op.report(command.failureStatus(), command.preconditionMessage(), baseline));
            return;
        }
        if (op.failed() && command != Command.ROLLBACK && command != Command.CLEANUP) {
            sink.feedback(activityId, op.report(command.failureStatus(), command + " is not possible: the operation"
                    + " failed and was rolled back (" + op.failure() + ")", baseline));
            return;
        }
        try {
            switch (command) {
                case DOWNLOAD -> reconciler.download(op, state);
                case UPDATE -> reconciler.update(op, state);
                case ACTIVATE -> reconciler.activate(op, state);
                case ROLLBACK -> reconciler.rollback(op, state);
                case CLEANUP -> reconciler.cleanup(op, state);
            }
            if (op.ended()) {
                pending(null);
            }
        } catch (OperationInterrupted e) {
            pending(null);
            interrupted(op, e);
        }
    }

    private void interrupted(Operation op, OperationInterrupted e) {
        if (e.supersededBy().isPresent()) {
            LOG.info("Operation {} (activity {}) is superseded by activity {}; rolling it back", op.id(),
                    op.activityId(), e.supersededBy().get());
            reconciler.abort(op, "Superseded by activity " + e.supersededBy().get() + ".");
        } else {
            LOG.info("The update agent stops during operation {} (activity {}); it is rolled back at the next start",
                    op.id(), op.activityId());
        }
    }

    /**
     * The engine's containers; while the engine cannot be reached (a gateway booting, dockerd restarting), polls it
     * for up to {@code wait}, saying so once in an IDENTIFYING feedback, and gives up with the last failure after.
     *
     * @throws OperationInterrupted when a newer desired state arrives or the agent stops meanwhile
     */
    private List<Container> listWaitingForTheEngine(String activityId, long sequence, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            try {
                return engine.list();
            } catch (EngineUnavailableException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (!told) {
                    told = true;
                    String message = "Waiting up to " + Durations.format(wait) + " for the container engine: "
                            + e.getMessage();
                    LOG.warn("Desired state {}: {}", activityId, message);
                    sink.feedback(activityId, Report.of(Stage.IDENTIFYING, message));
                }
                try {
                    Thread.sleep(ENGINE_POLL.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    interrupts.check(sequence); // the agent stops: interrupted as stopping
                    throw e;
                }
                interrupts.check(sequence);
            }
        }
    }

    /**
     * Why the operator's policy or trust rules refuse a container the operation would create, if they do: checked for
     * all of them before anything is pulled or changed, so that a refused desired state changes nothing.
     */
    private Optional<String> refusal(Plan plan) {
        for (Step step : plan.steps()) {
            if (!step.kind().createsContainer() || step.desired().isEmpty()) {
                continue;
            }
            try {
                new CreationOrigin(CreationOrigin.DESIRED_STATE, step.name().value())
                        .during(() -> engine.admit(step.desired().get()));
            } catch (ContainerRefusedException e) {
                return Optional.of("Container " + step.name() + " " + e.getMessage());
            } catch (RuntimeException e) {
                return Optional.of("cannot check container " + step.name() + " against the trust rules: "
                        + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Writes {@code record}; when it cannot be written the activity fails, since a restart could not end it. */
    private boolean journaled(String activityId, JournalRecord record) {
        try {
            journal.write(record);
            return true;
        } catch (RuntimeException e) {
            identificationFailed(activityId, e.getMessage());
            return false;
        }
    }

    private void identificationFailed(String activityId, String message) {
        sink.feedback(activityId, Report.of(Stage.IDENTIFICATION_FAILED, message));
        deleteJournal();
    }

    private void deleteJournal() {
        try {
            journal.delete();
        } catch (RuntimeException e) {
            LOG.error("Cannot delete the update journal: {}", e.getMessage());
        }
    }
}

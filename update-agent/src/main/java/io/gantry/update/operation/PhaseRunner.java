package io.gantry.update.operation;

import io.gantry.update.operation.EngineCalls.Pending;
import io.gantry.update.operation.EngineCalls.Work;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one phase of an operation over its actions, reporting as Kanto does (reference/kanto-cua.md §3.4), and rolls
 * the whole operation back when the phase fails.
 *
 * <p>Contract: each action is prepared on the owner thread in plan order (waiting for its image, journaling its
 * intent before its call) and its call handed to {@link EngineCalls}; then the actions are reported in plan order,
 * each when its call has returned, exactly as one-after-another work would report them. In an {@code ordered}
 * phase a container that uses another one's network or address waits for every call before it. A failure stops the
 * preparation of further actions; the calls under way are waited for and recorded, and the rollback then undoes
 * everything the operation did (intents were journaled, and created containers carry the operation's label).
 */
final class PhaseRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PhaseRunner.class);

    /** What failed a phase after its calls had succeeded (settling), and why. */
    record Failure(Action action, String reason) {
    }

    private final EngineCalls calls;
    private final Progress progress;
    private final Interrupts interrupts;
    private final Rollback rollback;

    PhaseRunner(EngineCalls calls, Progress progress, Interrupts interrupts, Rollback rollback) {
        this.calls = calls;
        this.progress = progress;
        this.interrupts = interrupts;
        this.rollback = rollback;
    }

    /**
     * Runs {@code phase} over {@code relevant}; {@code afterAll} may still fail it (settling). False when it failed
     * and was rolled back.
     *
     * @throws OperationInterrupted at a safe point when the operation must stop
     */
    boolean run(Operation op, BaselineState baseline, Phase phase, List<Action> relevant, boolean ordered,
                Function<Action, Work> prepare, Supplier<Optional<Failure>> afterAll) {
        Reporting run = new Reporting(op, baseline, phase);
        List<Pending> pending = new ArrayList<>();
        try {
            for (Action a : relevant) {
                if (pending.stream().anyMatch(Pending::failed)) {
                    break;
                }
                if (ordered && a.dependsOnOtherContainers()) {
                    pending.forEach(Pending::await);
                }
                pending.add(calls.submit(op, a, x -> {
                    interrupts.check(op.sequence());
                    return prepare.apply(x);
                }));
            }
            for (Pending p : pending) {
                if (p.interrupted() != null) {
                    throw p.interrupted();
                }
                run.begin(p.action());
                run.succeeded(p.finish());
                p.action().markPhaseDone(phase);
            }
            Optional<Failure> late = afterAll.get();
            if (late.isPresent()) {
                return fail(op, baseline, late.get().action(), phase, late.get().reason());
            }
            run.finish();
            return true;
        } catch (OperationInterrupted e) {
            pending.forEach(Pending::drain);
            throw e;
        } catch (RuntimeException e) {
            pending.forEach(Pending::drain);
            return fail(op, baseline, run.current(), phase, Progress.reason(e));
        } catch (Error e) {
            pending.forEach(Pending::drain);
            throw e;
        }
    }

    private boolean fail(Operation op, BaselineState baseline, Action failing, Phase phase, String reason) {
        Stage status = phase.failure;
        if (failing != null) {
            failing.report(phase.actionFailure, reason);
        }
        baseline.status(status);
        String summary = status + (failing == null ? "" : " of " + failing.componentId()) + ": " + reason;
        LOG.warn("Update operation {} (activity {}) failed: {}; rolling back", op.id(), op.activityId(), summary);
        op.fail(summary);
        progress.publish(op, status, reason, baseline);
        rollback.undo(op, baseline, op.actions(), failing, reason, false);
        // The baseline keeps its failure status, so that the commands Kanto allows after it still apply.
        baseline.status(status);
        return false;
    }

    /**
     * Kanto's way of reporting a phase (§3.4): when an action starts, the previous one is marked successful with
     * its message; the last one is marked when the phase ends.
     */
    private final class Reporting {
        private final Operation op;
        private final BaselineState baseline;
        private final Phase phase;
        private Action last;
        private String lastMessage = "";

        Reporting(Operation op, BaselineState baseline, Phase phase) {
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
            progress.publish(op, phase.running, "", baseline);
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
            progress.publish(op, phase.success, "", baseline);
        }
    }
}

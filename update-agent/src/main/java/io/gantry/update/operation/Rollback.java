package io.gantry.update.operation;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.StopOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes what an operation's actions did. Unlike Kanto (which restores nothing for an update in place and leaves
 * destroyed containers stopped), every change is undone: the containers the operation created are removed (found
 * by its label, so that a crash cannot hide them), old containers get their names back and their previous run
 * state, updated containers their previous settings.
 *
 * <p>Contract: runs on the owner thread; removals and restores are made several at a time on the wait pool, those
 * of an old container that uses another one's network or address after the others. Every step is skipped when it is
 * already so, so a rollback may be repeated (after a crash, or when the engine was unreachable).
 */
final class Rollback {

    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    private final ContainerEngine engine;
    private final EngineCalls calls;
    private final Progress progress;

    Rollback(ContainerEngine engine, EngineCalls calls, Progress progress) {
        this.engine = engine;
        this.calls = calls;
        this.progress = progress;
    }

    /**
     * Undoes the actions in {@code scope} that changed something, reporting as Kanto does (§3.6): {@code ROLLBACK}
     * with each action {@code UPDATING} in turn, then {@code UPDATE_FAILURE} with what was restored, and a final
     * {@code ROLLBACK_SUCCESS} or {@code ROLLBACK_FAILURE}.
     */
    boolean undo(Operation op, BaselineState baseline, List<Action> scope, Action failing, String failingReason,
                 boolean reportIfNothing) {
        List<Action> undo = scope.stream().filter(Action::needsRollback).toList();
        if (undo.isEmpty()) {
            if (reportIfNothing) {
                baseline.status(Stage.ROLLBACK_SUCCESS);
                progress.publish(op, Stage.ROLLBACK_SUCCESS, op.outcome(), baseline);
            }
            return true;
        }
        LOG.info("Rolling back {} action(s) of update operation {}", undo.size(), op.id());
        progress.journalQuietly(op);
        Map<Action, String> errors = removeCreated(op, undo);
        restoreOlds(op, undo, errors);
        Action previous = null;
        String previousMessage = "";
        boolean ok = true;
        for (Action a : undo) {
            if (previous != null) {
                previous.report(ActionState.UPDATE_FAILURE, previousMessage);
            }
            a.report(ActionState.UPDATING, a.message());
            baseline.status(Stage.ROLLBACK);
            progress.publish(op, Stage.ROLLBACK, "", baseline);
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
        previous.report(ActionState.UPDATE_FAILURE, previousMessage);
        progress.journalQuietly(op);
        Stage status = ok ? Stage.ROLLBACK_SUCCESS : Stage.ROLLBACK_FAILURE;
        baseline.status(status);
        progress.publish(op, status, op.outcome(), baseline);
        return ok;
    }

    /** Removes every container the operation created for the actions in {@code undo}, newest first. */
    private Map<Action, String> removeCreated(Operation op, List<Action> undo) {
        Map<Action, String> errors = new HashMap<>();
        List<Container> created;
        try {
            created = engine.list().stream()
                    .filter(c -> c.gantryLabel(Reconciler.OPERATION_LABEL).filter(op.id()::equals).isPresent()).toList();
        } catch (RuntimeException e) {
            op.failedToEnd(e);
            undo.forEach(a -> errors.put(a, Progress.reason(e)));
            return errors;
        }
        Map<Container, Action> removals = new LinkedHashMap<>();
        Map<Container, CompletableFuture<Object>> removed = new LinkedHashMap<>();
        for (int i = undo.size() - 1; i >= 0; i--) {
            Action a = undo.get(i);
            for (Container c : created) {
                if (c.gantryLabel(Reconciler.COMPONENT_LABEL).filter(a.name().value()::equals).isPresent()) {
                    removals.put(c, a);
                    removed.put(c, calls.onWaits(() -> {
                        engine.remove(c.id(), true);
                        return null;
                    }));
                }
            }
        }
        removals.forEach((c, a) -> {
            try {
                EngineCalls.join(removed.get(c));
                LOG.info("Rollback: removed new container {} ({})", c.name(), c.id().shortForm());
            } catch (RuntimeException e) {
                failed(op, errors, a, e);
            }
        });
        return errors;
    }

    private static void failed(Operation op, Map<Action, String> errors, Action a, RuntimeException e) {
        op.failedToEnd(e);
        errors.put(a, Progress.reason(e));
    }

    /**
     * Restores the old containers of {@code undo} whose new ones are gone ({@code errors} gets the failures):
     * several at a time, except those that use another container's network or address, which follow one by one
     * once the others run again.
     */
    private void restoreOlds(Operation op, List<Action> undo, Map<Action, String> errors) {
        List<Action> todo = undo.stream().filter(a -> !errors.containsKey(a) && a.oldId().isPresent()).toList();
        List<CompletableFuture<Boolean>> first = todo.stream()
                .map(a -> calls.onWaits(() -> restoreOld(a, false))).toList();
        List<Action> later = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            try {
                if (!EngineCalls.join(first.get(i))) {
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
}

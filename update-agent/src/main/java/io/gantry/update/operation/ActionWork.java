package io.gantry.update.operation;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.StopOptions;
import io.gantry.update.operation.EngineCalls.Call;
import io.gantry.update.operation.EngineCalls.Work;
import io.gantry.update.plan.StepKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each kind of action asks of the engine in each phase (DESIGN.md, "Replacing a container"): the create,
 * under a temporary name for a replacement; stopping and setting aside the old container; naming and starting the
 * new one; making sure a checked one runs.
 *
 * <p>Contract: the methods run on the owner thread and may inspect the engine (an old container's state is recorded
 * before the operation first changes it, for the rollback); the calls they return touch no operation state until
 * their results are recorded on the owner thread.
 */
final class ActionWork {

    private final ContainerEngine engine;
    private final EngineCalls calls;
    private final DeathWatch deaths;
    private final Progress progress;
    private final EarlyStarts early;

    ActionWork(ContainerEngine engine, EngineCalls calls, DeathWatch deaths, Progress progress) {
        this.engine = engine;
        this.calls = calls;
        this.deaths = deaths;
        this.progress = progress;
        this.early = new EarlyStarts(engine, calls, deaths);
    }

    /**
     * DOWNLOAD, once the image is there: the create of the new container; with {@code startEarly} a CREATE's
     * container is also started at once (a failed start is left to ACTIVATE, which starts it again and reports).
     */
    Work download(Operation op, Action a, boolean startEarly) {
        if (a.createdWhenStarted()) {
            return Work.done("Image pulled; the container is created when it starts, after the containers its"
                    + " extra hosts name.");
        }
        if (startEarly && a.kind() == StepKind.CREATE && a.start() && !a.dependsOnOtherContainers()) {
            return new Work(early.createAndStart(a, labels(op, a)), "New container created.");
        }
        return new Work(create(op, a), "New container created.");
    }

    /**
     * UPDATE: stops the old container of a RECREATE and sets it aside, stops a DESTROY's, updates an UPDATE's. With
     * {@code startEarly} a RECREATE's new container then takes the name and starts at once; a failure of either is
     * left to ACTIVATE, which makes it again and reports.
     */
    Work update(Action a, boolean startEarly) {
        Container old = recordBefore(a);
        boolean alive = old.status().isAlive();
        String stopped = "Old container instance is stopped.";
        if (startEarly && a.kind() == StepKind.RECREATE && a.start() && a.newId().isPresent()
                && !a.dependsOnOtherContainers()) {
            return new Work(early.replace(a, old, a.newId().get()), stopped);
        }
        return switch (a.kind()) {
            // Setting aside renames to a name of the operation's own, so renames of several containers overlap.
            case RECREATE -> new Work(new Call<>(alive ? "stop " + old.name()
                    : "rename " + a.name() + " to " + a.asideName(), calls.waits(), () -> {
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
            case DESTROY -> alive ? new Work(new Call<>("stop " + old.name(), calls.waits(), () -> {
                engine.stop(old.id(), StopOptions.DEFAULT);
                return null;
            }, none -> a.completed(Effect.OLD_STOPPED)), stopped) : Work.done(stopped);
            case UPDATE -> new Work(new Call<>("update " + a.name(), calls.calls(), () -> {
                engine.update(old.id(), ContainerUpdate.to(a.desiredSpec()));
                return null;
            }, none -> a.completed(Effect.SETTINGS_UPDATED)), "Container instance is updated with new configuration.");
            default -> throw new IllegalStateException("UPDATE does not act on " + a.kind());
        };
    }

    /**
     * ACTIVATE: names and starts a new container (adding it to {@code settling}), or makes sure a CHECK's or an
     * UPDATE's container runs. A container whose extra hosts name another one is created only now.
     */
    Work activate(Operation op, Action a, List<Action> settling) {
        switch (a.kind()) {
            case CREATE, RECREATE -> {
                if (a.newId().isEmpty() && a.createdWhenStarted()) {
                    Call<ContainerId> create = create(op, a);
                    progress.intent(op, a, create.what());
                    create.record().accept(create.call().get());
                }
                ContainerId id = a.newId().orElseThrow(() -> new IllegalStateException(
                        "ACTIVATE is possible only after the new container of " + a.name() + " was created"));
                boolean rename = a.kind() == StepKind.RECREATE && !a.done().contains(Effect.NEW_NAMED);
                String started = "New container instance is started.";
                if (!a.start()) {
                    String created = "New container instance is created; it is not started.";
                    return rename ? new Work(rename(a, id), created) : Work.done(created);
                }
                settling.add(a);
                if (a.done().contains(Effect.STARTED)) {
                    return Work.done(started);
                }
                deaths.watch(id);
                // The old containers were set aside in UPDATE, so the new ones take their names at once.
                return new Work(new Call<>(rename ? "rename " + a.tempName() + " to " + a.name()
                        : "start " + a.name(), calls.calls(), () -> {
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
    }

    /** The create of an action's new container, under its temporary name when it replaces one. */
    private Call<ContainerId> create(Operation op, Action a) {
        ContainerSpec spec = a.desiredSpec();
        ContainerSpec named = a.kind() == StepKind.RECREATE ? spec.withName(a.tempName()) : spec;
        Map<String, String> labels = labels(op, a);
        return new Call<>("create " + named.name().orElseThrow(), calls.calls(), () -> engine.create(named, labels),
                id -> {
                    a.newId(id);
                    a.completed(Effect.CREATED);
                });
    }

    /** The rename of a RECREATE's new container to the real name. */
    private Call<Void> rename(Action a, ContainerId id) {
        return new Call<>("rename " + a.tempName() + " to " + a.name(), calls.calls(), () -> {
            engine.rename(id, a.name());
            return null;
        }, none -> a.completed(Effect.NEW_NAMED));
    }

    /** Kanto's ensure-running (§3.4 ACTIVATE): running is fine, paused is resumed, anything else is started. */
    private Work ensureRunning(Action a, String message) {
        Container c = recordBefore(a);
        if (c.status() == ContainerStatus.PAUSED) {
            return new Work(new Call<>("resume " + a.name(), calls.calls(), () -> {
                engine.resume(c.id());
                return null;
            }, none -> a.completed(Effect.RESUMED)), message);
        } else if (!c.status().isAlive()) {
            return new Work(new Call<>("start " + a.name(), calls.calls(), () -> {
                engine.start(c.id());
                return null;
            }, none -> a.completed(Effect.STARTED)), message);
        }
        return Work.done(message);
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

    private static Map<String, String> labels(Operation op, Action a) {
        Map<String, String> labels = new HashMap<>(a.labels());
        labels.put(Reconciler.OPERATION_LABEL, op.id());
        labels.put(Reconciler.COMPONENT_LABEL, a.name().value());
        return labels;
    }
}

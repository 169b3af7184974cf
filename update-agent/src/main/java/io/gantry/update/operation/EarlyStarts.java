package io.gantry.update.operation;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.StopOptions;
import io.gantry.update.operation.EngineCalls.Call;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto mode's early starts: with no update manager waiting between the phases, a new container starts as soon as it
 * is created, and a replacement as soon as its old container is set aside.
 *
 * <p>Contract: only the engine work that must succeed fails the call (the create, stopping and setting aside the old
 * container); a rename or start that fails this early is left for ACTIVATE, which makes it again and reports, so
 * the feedback is what waiting would have given. A started container is watched by the {@link DeathWatch} from
 * before its start.
 */
final class EarlyStarts {

    private static final Logger LOG = LoggerFactory.getLogger(EarlyStarts.class);

    private final ContainerEngine engine;
    private final EngineCalls calls;
    private final DeathWatch deaths;

    EarlyStarts(ContainerEngine engine, EngineCalls calls, DeathWatch deaths) {
        this.engine = engine;
        this.calls = calls;
        this.deaths = deaths;
    }

    /** A new container created and started at once; whether it started. */
    private record Created(ContainerId id, boolean started) {
    }

    /** The create of a CREATE's container followed by its start, whose failure only leaves it created. */
    Call<Created> createAndStart(Action a, Map<String, String> labels) {
        ContainerSpec spec = a.desiredSpec();
        return new Call<>("create " + a.name(), calls.calls(), () -> {
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

    /** How far a replacement got beyond setting the old container aside. */
    private record Replaced(boolean named, boolean started) {
    }

    /** A RECREATE's old container stopped and set aside, then its new one named and started, on the wait pool. */
    Call<Replaced> replace(Action a, Container old, ContainerId id) {
        boolean alive = old.status().isAlive();
        return new Call<>(alive ? "stop " + old.name() : "rename " + a.name() + " to " + a.asideName(), calls.waits(),
                () -> {
                    if (alive) {
                        engine.stop(old.id(), StopOptions.DEFAULT);
                    }
                    engine.rename(old.id(), a.asideName());
                    try {
                        engine.rename(id, a.name());
                    } catch (EngineUnavailableException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.debug("Early rename of {} failed, ACTIVATE renames it again: {}", a.name(), e.toString());
                        return new Replaced(false, false);
                    }
                    deaths.watch(id);
                    try {
                        engine.start(id);
                        return new Replaced(true, true);
                    } catch (EngineUnavailableException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.debug("Early start of {} failed, ACTIVATE starts it again: {}", a.name(), e.toString());
                        return new Replaced(true, false);
                    }
                }, replaced -> {
                    if (alive) {
                        a.completed(Effect.OLD_STOPPED);
                    }
                    a.completed(Effect.OLD_ASIDE);
                    if (replaced.named()) {
                        a.completed(Effect.NEW_NAMED);
                    }
                    if (replaced.started()) {
                        a.completed(Effect.STARTED);
                    }
                });
    }
}

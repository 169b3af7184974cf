package io.gantry.core.command;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerNotFoundException;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineException;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.container.StopOptions;
import io.gantry.core.twin.TwinStatus;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container operations the cloud can ask for, with Kanto's semantics and error texts
 * (reference/kanto-things.md §3.1–3.2): each checks the container's state first, so that a start of a running
 * container is refused as Kanto refuses it, although the engine itself would treat it as a harmless repeat.
 *
 * <p>Commands change the engine only; the twin learns of the change from the engine's events. Every method blocks
 * until the engine has answered, so callers run them on a command pool, never on an MQTT or engine thread.
 *
 * <p>Failures: {@link CommandFailedException} with Kanto's message for a refused command or an unknown container;
 * other {@link EngineException}s (engine unavailable, pull failed, name in use) propagate with the engine's message.
 */
public final class ContainerCommands {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerCommands.class);

    private final ContainerEngine engine;
    private final Predicate<ContainerId> stoppedFromOutside;

    public ContainerCommands(ContainerEngine engine) {
        this(engine, id -> false);
    }

    /**
     * {@code stoppedFromOutside} tells a stopped container from one that exited on its own, as the twin mirror knows
     * it ({@code TwinMirror::stoppedFromOutside}); it only changes the state names in messages.
     */
    public ContainerCommands(ContainerEngine engine, Predicate<ContainerId> stoppedFromOutside) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.stoppedFromOutside = Objects.requireNonNull(stoppedFromOutside, "stoppedFromOutside");
    }

    /** Reads the image reference of a create command: Kanto's "imageRef must be set" when it is empty. */
    public static ImageRef imageRef(String text) {
        if (text == null || text.isBlank()) {
            throw new CommandFailedException("imageRef must be set");
        }
        try {
            return ImageRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
    }

    /** Reads a container name of a command: Kanto's "invalid container name format : …" when it is not one. */
    public static ContainerName containerName(String text) {
        try {
            return new ContainerName(text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
    }

    /**
     * Creates a container, pulling its image first when it is missing (with the configured registry credentials).
     * With {@code start}, a failure to start is only logged, as in Kanto: the container exists and its id is returned.
     *
     * @throws io.gantry.core.policy.ContainerRefusedException when the operator's policy or trust rules refuse it,
     *                                                         before anything is pulled or created
     */
    public ContainerId create(ContainerSpec spec, boolean start) {
        ContainerSpec valid;
        try {
            valid = spec.validated();
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        new CreationOrigin(CreationOrigin.DITTO, valid.name().map(n -> n.value()).orElse(valid.image().text()))
                .during(() -> engine.admit(valid));
        engine.ensureImage(valid.image(), progress -> LOG.debug("Pulling {}: {}", valid.image(), progress.status()));
        ContainerId id = engine.create(valid, Map.of(Container.ORIGIN_LABEL, "twin"));
        LOG.info("Created container {} from {}", id.shortForm(), valid.image());
        if (start) {
            try {
                engine.start(id);
            } catch (EngineException e) {
                LOG.warn("Created container {} but could not start it: {}", id.shortForm(), e.getMessage());
            }
        }
        return id;
    }

    public void start(ContainerId id) {
        Container c = require(id);
        switch (c.status()) {
            case RUNNING -> throw new CommandFailedException("the container with id = " + id + " is already running");
            case PAUSED -> throw new CommandFailedException("the container with id = " + id
                    + " is paused - cannot start it - try unpausing it instead");
            case DEAD, REMOVING -> throw new CommandFailedException("the container with id = " + id
                    + " is dead - cannot start it");
            default -> {
                // CREATED, EXITED, RESTARTING: startable.
            }
        }
        onEngine(id, () -> engine.start(id));
        LOG.info("Started container {}", id.shortForm());
    }

    /** Stops with the defaults: the configured stop timeout and the image's stop signal. */
    public void stop(ContainerId id) {
        stop(id, StopOptions.DEFAULT);
    }

    /**
     * Kanto's {@code stopWithOptions}: a timeout of 0 means the default, an empty signal the default signal.
     * {@code force} is accepted for compatibility; Docker always kills the process when the timeout expires.
     */
    public void stop(ContainerId id, long timeoutSeconds, String signal, boolean force) {
        if (timeoutSeconds < 0) {
            throw new CommandFailedException("the timeout = " + timeoutSeconds + " shouldn't be negative");
        }
        Optional<Duration> timeout = timeoutSeconds == 0 ? Optional.empty()
                : Optional.of(Duration.ofSeconds(timeoutSeconds));
        StopOptions options;
        try {
            options = new StopOptions(timeout, Optional.ofNullable(signal));
        } catch (IllegalArgumentException e) {
            // Kanto's text, without the expected forms StopOptions adds for the CLI.
            throw new CommandFailedException("invalid signal = " + signal);
        }
        stop(id, options);
    }

    private void stop(ContainerId id, StopOptions options) {
        Container c = require(id);
        if (!c.status().isAlive()) {
            throw new CommandFailedException("cannot perform stop operation for container: " + id + ", with state: "
                    + stateName(c));
        }
        onEngine(id, () -> engine.stop(id, options));
        LOG.info("Stopped container {}", id.shortForm());
    }

    public void pause(ContainerId id) {
        Container c = require(id);
        if (c.status() != ContainerStatus.RUNNING) {
            throw new CommandFailedException("container with id = " + id + " is not running - current status is "
                    + stateName(c));
        }
        onEngine(id, () -> engine.pause(id));
        LOG.info("Paused container {}", id.shortForm());
    }

    public void resume(ContainerId id) {
        Container c = require(id);
        if (c.status() != ContainerStatus.PAUSED) {
            // The trailing space is Kanto's.
            throw new CommandFailedException("container id = " + id + " is not paused - cannot unpause it ");
        }
        onEngine(id, () -> engine.resume(id));
        LOG.info("Resumed container {}", id.shortForm());
    }

    /** Renames; an empty name or the current name is a no-op, as in Kanto. */
    public void rename(ContainerId id, String newName) {
        Container c = require(id);
        if (newName == null || newName.isEmpty() || newName.equals(c.name().value())) {
            return;
        }
        ContainerName name = containerName(newName);
        onEngine(id, () -> engine.rename(id, name));
        LOG.info("Renamed container {} to {}", id.shortForm(), newName);
    }

    /**
     * Changes the restart policy and/or the memory limits. Kanto's resources know only memory, so the given
     * resources replace the memory limits and the CPU and GPU limits stay as they are.
     */
    public void update(ContainerId id, Optional<RestartPolicy> restartPolicy, Optional<Resources> memoryLimits) {
        Container c = require(id);
        Resources current = c.spec().resources();
        Optional<Resources> resources;
        try {
            resources = memoryLimits.map(m -> current.withMemory(m.memory(), m.memoryReservation(), m.memorySwap(),
                    m.unlimitedSwap()).updatablePart());
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
        ContainerUpdate update = new ContainerUpdate(restartPolicy, resources);
        if (update.isEmpty()) {
            return;
        }
        onEngine(id, () -> engine.update(id, update));
        LOG.info("Updated container {}", id.shortForm());
    }

    public void remove(ContainerId id, boolean force) {
        Container c = require(id);
        if (c.status().isAlive() && !force) {
            throw new CommandFailedException("container with id = " + id
                    + " is not stopped - must set the force flag to true to remove it");
        }
        onEngine(id, () -> engine.remove(id, force));
        LOG.info("Removed container {}", id.shortForm());
    }

    private Container require(ContainerId id) {
        try {
            return engine.inspect(id).orElseThrow(() -> notFound(id, null));
        } catch (ContainerNotFoundException e) {
            throw notFound(id, e);
        }
    }

    /** Runs an engine call; a container that vanished since it was inspected is reported as Kanto reports it. */
    private static void onEngine(ContainerId id, Runnable call) {
        try {
            call.run();
        } catch (ContainerNotFoundException e) {
            throw notFound(id, e);
        }
    }

    private static CommandFailedException notFound(ContainerId id, Throwable cause) {
        return new CommandFailedException("no such container with id = " + id + " exists", cause);
    }

    /** Kanto's state names in messages ("Created", "Running", "Stopped", …). */
    private String stateName(Container c) {
        String name = TwinStatus.of(c.status(), stoppedFromOutside.test(c.id())).name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }
}

package io.gantry.update.operation;

import io.gantry.config.Durations;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.Health;
import io.gantry.update.operation.PhaseRunner.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Lets newly started containers settle (DESIGN.md, "Replacing a container"): they must stay up for
 * {@code update_agent.settle_time}, and become healthy within {@code update_agent.health_timeout} if their image has
 * a health check.
 *
 * <p>Contract: runs on the owner thread, polling the engine, and checks for interrupts at each poll; the containers
 * must be watched by the {@link DeathWatch} from before their start, so that a crash hidden by a restart counts.
 */
final class Settling {

    private static final Duration POLL = Duration.ofMillis(100);

    private final ContainerEngine engine;
    private final Supplier<UpdateAgentConfig> config;
    private final Interrupts interrupts;
    private final DeathWatch deaths;

    Settling(ContainerEngine engine, Supplier<UpdateAgentConfig> config, Interrupts interrupts, DeathWatch deaths) {
        this.engine = engine;
        this.config = config;
        this.interrupts = interrupts;
        this.deaths = deaths;
    }

    /**
     * Watches the started containers until they have stayed up for the settle time (and are healthy, when their image
     * has a health check). A container that ends with a non-zero exit code, is killed for memory, turns unhealthy or
     * stays unhealthy past the health timeout fails the activation; one that ends with 0 has done its job.
     */
    Optional<Failure> settle(Operation op, List<Action> started) {
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
}

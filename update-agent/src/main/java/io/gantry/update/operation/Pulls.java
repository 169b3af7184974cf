package io.gantry.update.operation;

import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ImageRef;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the images of an operation's new containers in parallel, on a small pool, while the owner thread waits
 * for each one only when its container is about to be created.
 *
 * <p>Contract: {@link #await} is a safe point: it checks for a newer desired state or a stop every poll.
 */
final class Pulls {

    private static final Logger LOG = LoggerFactory.getLogger(Pulls.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final ContainerEngine engine;
    private final ExecutorService pulls;
    private final Interrupts interrupts;

    Pulls(ContainerEngine engine, ExecutorService pulls, Interrupts interrupts) {
        this.engine = engine;
        this.pulls = pulls;
        this.interrupts = interrupts;
    }

    /** Starts the pulls of the images {@code actions} need, one per image. */
    Map<ImageRef, Future<?>> start(List<Action> actions) {
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

    /** Waits for {@code pull}, checking for interrupts meanwhile; rethrows its failure. */
    void await(Operation op, Future<?> pull) {
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
}

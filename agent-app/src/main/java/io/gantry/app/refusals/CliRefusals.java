package io.gantry.app.refusals;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.policy.Refusal;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Takes the refusals {@code gantry create} left in the {@link RefusalSpool} into the running agent: at once, then every
 * {@link #PERIOD_SECONDS} seconds, each handed to {@code taken} (which logs, counts and records it).
 *
 * <p>Threading: drains on its own timer thread {@code gantry-refusal-spool}; {@code taken} runs there. Closing stops it.
 */
public final class CliRefusals implements AutoCloseable {

    static final int PERIOD_SECONDS = 2;

    private final ScheduledExecutorService timer = Threads.scheduled("gantry-refusal-spool");

    private CliRefusals(RefusalSpool spool, Consumer<Refusal> taken) {
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(taken, "taken");
        timer.scheduleWithFixedDelay(() -> spool.drain(taken), 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts draining {@code spool} into {@code taken}. */
    public static CliRefusals start(RefusalSpool spool, Consumer<Refusal> taken) {
        return new CliRefusals(spool, taken);
    }

    @Override
    public void close() {
        Threads.shutdown(timer, 1);
    }
}

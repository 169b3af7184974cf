package io.gantry.update.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.config.UpdateWindows;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back desired states outside the update windows ({@code update_agent.windows}, auto mode only): a valid
 * desired state that arrives while every window is closed waits here (its feedback says so) and is carried out when
 * a window opens, or at once when it is marked urgent ({@code "urgent": true} in its payload). At most one waits: a
 * newer desired state supersedes the waiting one, which ends {@code INCOMPLETE}, as a running one does. The one that
 * waits is journaled in a {@link WaitingFile}, so that it survives a restart of the agent.
 *
 * <p>Threading: every method may be called from any thread (they are synchronised); {@code carryOut} runs on the
 * caller of {@link #submit} or on the timer thread and must only hand off. The clock decides; the timer only wakes
 * the gate up (at the next opening, and at least every minute, so that a changed configuration applies).
 */
public final class UpdateWindowGate {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateWindowGate.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECHECK = Duration.ofMinutes(1);

    /** What the gate tells the update manager. */
    public interface Feedback {
        /** {@code activityId} waits for a window; {@code message} says which and until when. */
        void waiting(String activityId, String message);

        /** The waiting {@code activityId} will not be carried out: {@code newer} replaced it. */
        void superseded(String activityId, String newer);
    }

    /** The desired state that waits: its activity, since when, and when the next window opens. */
    public record Waiting(String activityId, Instant since, Optional<Instant> opensAt) {
        public Waiting {
            Objects.requireNonNull(activityId, "activityId");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(opensAt, "opensAt");
        }
    }

    private final Supplier<UpdateAgentConfig> config;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Feedback feedback;
    private final WaitingFile file;

    private Waiting waiting;
    private Runnable release;
    private ScheduledFuture<?> wakeUp;

    public UpdateWindowGate(Supplier<UpdateAgentConfig> config, Clock clock, ScheduledExecutorService timer,
                            Feedback feedback, WaitingFile file) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.feedback = Objects.requireNonNull(feedback, "feedback");
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Whether a desired state's payload marks it urgent: {@code {"payload":{"urgent":true,…}}}. */
    public static boolean urgent(byte[] desiredState) {
        try {
            JsonNode root = JSON.readTree(desiredState);
            return root != null && root.path("payload").path("urgent").asBoolean(false)
                    && root.path("payload").path("urgent").isBoolean();
        } catch (IOException e) {
            return false; // the desired state was read before; this cannot happen for one that got here
        }
    }

    /**
     * Carries {@code carryOut} out now when a window is open (or none is configured, or {@code desiredState} is
     * urgent), else holds it and journals {@code desiredState} (the message as received).
     */
    public synchronized void submit(String activityId, byte[] desiredState, Runnable carryOut) {
        boolean urgent = urgent(desiredState);
        if (waiting != null) {
            LOG.info("Desired state {} supersedes {}, which waited for the update window", activityId,
                    waiting.activityId());
            feedback.superseded(waiting.activityId(), activityId);
            clear();
        }
        UpdateAgentConfig c = config.get();
        UpdateWindows windows = c.windows().parsed();
        Instant now = clock.instant();
        if (c.orchestrated() || windows.isOpen(now) || urgent) {
            if (urgent && !windows.isOpen(now) && !c.orchestrated()) {
                LOG.info("Desired state {} is urgent: carried out outside the update windows", activityId);
            }
            file.forget();
            carryOut.run();
            return;
        }
        Optional<Instant> opens = windows.nextOpening(now);
        waiting = new Waiting(activityId, now, opens);
        release = carryOut;
        file.keep(activityId, desiredState);
        String message = "Waiting for the update window " + windows.describe() + ": carried out at "
                + opens.map(Instant::toString).orElse("the next opening")
                + ", or at once when a desired state marked urgent replaces it.";
        LOG.info("Desired state {}: {}", activityId, message);
        feedback.waiting(activityId, message);
        schedule(now);
    }

    /** Carries the waiting desired state out if a window is open now; the timer calls it, tests may too. */
    public synchronized void check() {
        if (waiting == null) {
            return;
        }
        UpdateAgentConfig c = config.get();
        Instant now = clock.instant();
        if (c.orchestrated() || c.windows().parsed().isOpen(now)) {
            Runnable run = release;
            LOG.info("The update window is open: carrying out desired state {}", waiting.activityId());
            clear();
            file.forget();
            run.run();
        } else {
            schedule(now);
        }
    }

    /** The desired state that waits, if any. */
    public synchronized Optional<Waiting> waiting() {
        return Optional.ofNullable(waiting);
    }

    private void schedule(Instant now) {
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        Duration delay = waiting.opensAt().map(o -> Duration.between(now, o)).filter(d -> d.compareTo(RECHECK) < 0)
                .orElse(RECHECK);
        try {
            wakeUp = timer.schedule(this::check, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            wakeUp = null; // stopping
        }
    }

    private void clear() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
            wakeUp = null;
        }
        waiting = null;
        release = null;
    }
}

package io.gantry.core.time;

import io.gantry.core.concurrent.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the running agent's "time good" status: asks its {@link TimeSyncSource} every
 * {@code interval} (read again before each wait, so that a changed setting applies from the next check), keeps the
 * latest answer, tells listeners when it changes, and keeps the shared file {@code <dir>/.time-status} up to date
 * for containers (non-empty "synchronised\n" when synchronised, empty otherwise, as the Unwired platform writes it;
 * replaced by a rename, so a reader never sees half of it).
 *
 * <p>Threading: checks run on {@code gantry-time-sync} only, the first one too, so that the agent's start never waits
 * for a slow tool (chronyc or timedatectl may take up to 5 s each); {@link #current()} and {@link #onChange} may be
 * called from any thread; listeners run on the check thread and must not block.
 */
public final class TimeSyncWatch implements AutoCloseable {

    /** The file containers mount (the directory, read-only, at {@code /host}: docs/operations.md, "Time good"). */
    public static final String SHARED_FILE = ".time-status";

    private static final Logger LOG = LoggerFactory.getLogger(TimeSyncWatch.class);

    private final TimeSyncSource source;
    private final Supplier<Duration> interval;
    private final Path sharedDir;
    private final List<Consumer<TimeSync>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Threads.scheduled("gantry-time-sync");
    private volatile TimeSync current = TimeSync.unknown("not checked yet");
    /** Only the check thread touches it. */
    private boolean checked;

    /**
     * @param sharedDir where the file for containers is kept (created when missing)
     */
    public TimeSyncWatch(TimeSyncSource source, Supplier<Duration> interval, Path sharedDir) {
        this.source = Objects.requireNonNull(source, "source");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sharedDir = Objects.requireNonNull(sharedDir, "sharedDir");
    }

    /**
     * Checks at once on the check thread, then every {@code interval}; returns without waiting for the first answer
     * ({@link #current()} is "cannot tell" until it is there, and listeners hear it when it comes).
     */
    public TimeSyncWatch start() {
        try {
            timer.execute(() -> {
                checkHere();
                schedule();
            });
        } catch (RejectedExecutionException e) {
            // closed before it started
        }
        return this;
    }

    /** The latest answer; "cannot tell" before the first check. */
    public TimeSync current() {
        return current;
    }

    /**
     * {@code listener} hears every change of state, and first the current status; all on the check thread, so that
     * the first status it hears is never older than a change it heard before (a closed watch tells it nothing).
     */
    public void onChange(Consumer<TimeSync> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        try {
            timer.execute(() -> listener.accept(current));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * Asks the source now, on the check thread, and returns when the answer is in (listeners have heard a change);
     * for tests that change what the source says. Returns at once when the watch is closed.
     */
    public void check() {
        try {
            timer.submit(this::checkHere).get();
        } catch (RejectedExecutionException e) {
            // closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the time-sync check failed", e.getCause());
        }
    }

    private void checkHere() {
        TimeSync now;
        try {
            now = source.read();
        } catch (RuntimeException e) { // the port says it never throws; a defect must not stop the checks
            LOG.error("Reading the time-sync status failed: {}", e.toString(), e);
            now = TimeSync.unknown("the status could not be read: " + e.getMessage());
        }
        TimeSync before = current;
        current = now;
        boolean first = !checked;
        checked = true;
        if (!first && before.state() == now.state()) {
            return;
        }
        if (now.knownUnsynchronised()) {
            LOG.warn("The system clock is {}: TLS certificate checks and timestamps may fail", now.describe());
        } else {
            LOG.info("The system clock is {}", now.describe());
        }
        writeShared(now);
        for (Consumer<TimeSync> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                LOG.error("A time-sync listener failed: {}", e.toString(), e);
            }
        }
    }

    private void schedule() {
        try {
            timer.schedule(() -> {
                checkHere();
                schedule();
            }, interval.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void writeShared(TimeSync now) {
        try {
            Files.createDirectories(sharedDir);
            Path tmp = sharedDir.resolve(SHARED_FILE + ".tmp");
            Files.writeString(tmp, now.state() == TimeSync.State.SYNCHRONISED ? "synchronised\n" : "",
                    StandardCharsets.UTF_8);
            Files.move(tmp, sharedDir.resolve(SHARED_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Could not write the time status for containers in {}: {}", sharedDir, e.toString());
        }
    }

    @Override
    public void close() {
        Threads.shutdown(timer, 1);
    }
}

package io.gantry.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches some files of one directory and tells a looker, on the watch's own thread, when they may have changed:
 * the mechanism shared by the configuration file and the container descriptor files.
 *
 * <p>It watches the directory rather than the files, so that a save by rename and a file deleted and created again
 * are seen, and re-registers when the directory itself is replaced or appears later. Events are debounced: the looker
 * runs once the files have been quiet for {@link Timing#debounce()}. Because some file systems (network mounts,
 * overlays, a symlink swapped underneath) send no events, the looker also runs every {@link Timing#poll()}; it is the
 * looker's job to compare what it reads with what it saw before. A looker that wants another look later (content that
 * may be a write in progress) asks for it with {@link #lookAt}.
 *
 * <p>Threading: the looker runs on the watch's thread, which owns the watch's state; {@link #lookSoon()} and
 * {@link #lookAt} may be called from any thread.
 */
public final class FileWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);
    private static final long NONE = Long.MAX_VALUE;

    /**
     * How often the watch looks for events ({@code tick}), how long the files must be quiet after an event before the
     * looker runs ({@code debounce}), how long content that does not read well may stay before it is reported
     * ({@code settle}, used by lookers), and how often the looker runs without an event ({@code poll}).
     */
    public record Timing(Duration tick, Duration debounce, Duration settle, Duration poll) {

        public static final Timing DEFAULTS = new Timing(Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofSeconds(2), Duration.ofSeconds(5));

        public Timing {
            for (Duration d : List.of(tick, debounce, settle, poll)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("watcher timings must be positive: " + d);
                }
            }
        }
    }

    private final Path directory;
    private final Predicate<Path> relevant;
    private final Timing timing;
    private final boolean useEvents;
    private final LongConsumer looker;
    private final ScheduledExecutorService thread;
    private final AtomicLong wakeAt = new AtomicLong(NONE);

    // Owned by the watch thread (set up before the first tick is scheduled).
    private WatchService watchService;
    private WatchKey watchKey;
    private long dirtySince = -1;
    private long lastPoll;

    /**
     * A watch of the files in {@code directory} whose names {@code relevant} accepts; {@code looker} gets the
     * {@link System#nanoTime()} of each look. {@code useEvents} false leaves only the poll, as on a file system without
     * events (for tests). Nothing happens until {@link #start()}.
     */
    public FileWatch(String threadName, Path directory, Predicate<Path> relevant, Timing timing, boolean useEvents,
                     LongConsumer looker) {
        this.directory = directory.toAbsolutePath().normalize();
        this.relevant = Objects.requireNonNull(relevant, "relevant");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.useEvents = useEvents;
        this.looker = Objects.requireNonNull(looker, "looker");
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers for events and starts looking; the first look comes after a poll period, or when asked for. */
    public void start() {
        lastPoll = System.nanoTime();
        if (useEvents) {
            try {
                watchService = FileSystems.getDefault().newWatchService();
                register();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Watching {} for changes failed ({}); falling back to reading it every {}", directory, e,
                        Durations.format(timing.poll()));
            }
        }
        long tick = timing.tick().toNanos();
        thread.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Asks for a look at the next tick, without waiting for an event. */
    public void lookSoon() {
        lookAt(System.nanoTime());
    }

    /** Asks for a look once {@link System#nanoTime()} has reached {@code nanoTime}; the earliest request wins. */
    public void lookAt(long nanoTime) {
        wakeAt.accumulateAndGet(nanoTime, Math::min);
    }

    /**
     * For lookers that wait for content to settle: true while {@code since} is younger than the settle time at
     * {@code now}, in which case a look is asked for when it will not be.
     */
    public boolean settling(long since, long now) {
        long settled = since + timing.settle().toNanos();
        if (now - settled < 0) {
            lookAt(settled);
            return true;
        }
        return false;
    }

    /** Runs {@code task} on the watch thread and returns its result (for tests and diagnostics). */
    public <T> T call(Callable<T> task) {
        try {
            return thread.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the watch of " + directory + " did not answer", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The watch of {} did not stop within 5s", directory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch service failed", e);
            }
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            drainEvents(now);
            long wake = wakeAt.get();
            if (now - lastPoll >= timing.poll().toNanos()) {
                lastPoll = now;
                look(now);
            } else if (dirtySince >= 0 && now - dirtySince >= timing.debounce().toNanos()) {
                look(now);
            } else if (wake != NONE && now - wake >= 0) {
                look(now);
            }
        } catch (RuntimeException e) {
            // Guarded entry point: one bad look must not stop the watching.
            LOG.error("Checking {} for changes failed", directory, e);
        }
    }

    private void look(long now) {
        dirtySince = -1;
        wakeAt.set(NONE);
        looker.accept(now);
    }

    private void drainEvents(long now) {
        if (watchService == null) {
            return;
        }
        if (watchKey == null || !watchKey.isValid()) {
            register();
            if (watchKey != null) {
                dirtySince = now;   // the directory came back: the files may have too
            }
            return;
        }
        WatchKey key;
        while ((key = pollKey()) != null) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW
                        || event.context() instanceof Path name && relevant.test(name)) {
                    dirtySince = now;
                }
            }
            if (!key.reset()) {
                watchKey = null;
                dirtySince = now;
            }
        }
    }

    private WatchKey pollKey() {
        try {
            return watchService.poll();
        } catch (ClosedWatchServiceException e) {
            watchService = null;
            return null;
        }
    }

    private void register() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try {
            watchKey = directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("Cannot watch {}; the poll still runs", directory, e);
            watchKey = null;
        }
    }
}

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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and hands each valid change to a listener, on the watcher's own thread
 * {@code gantry-config}, which owns all of the watcher's state.
 *
 * <p>It watches the file's directory (so that a save by rename, and a file deleted and created again, are seen) and
 * also compares the file's content every {@link Timing#poll()}, because some file systems (network mounts, overlays,
 * a symlink swapped underneath) send no events. Events are debounced; the file is then read whole and compared with
 * the content last seen, so a touch or an identical save does nothing, and a listener hears only of configurations
 * that really differ.
 *
 * <p>A read that does not parse or validate may be an editor half-way through a write: the watcher waits for
 * {@link Timing#settle()} and reads again. Only content that stays invalid is reported: once, at ERROR, with every
 * problem and its JSON path; not again until the file changes. The running configuration stays in force meanwhile.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    static final String THREAD_NAME = "gantry-config";

    /** Told of changes, on the {@code gantry-config} thread. */
    public interface Listener {

        /** A valid configuration that differs from the running one; the watcher already counts it as running. */
        void changed(ConfigChange change);

        /** The file stayed invalid (or missing) after settling; the watcher has logged it at ERROR already. */
        default void rejected(ConfigException problems) {
        }
    }

    /**
     * How often the watcher looks ({@code tick}), how long the file must be quiet after an event before it is read
     * ({@code debounce}), how long invalid content may stay before it is reported ({@code settle}), and how often the
     * content is compared without an event ({@code poll}).
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

    private final Path file;
    private final Listener listener;
    private final Timing timing;
    private final boolean useEvents;
    private final ScheduledExecutorService thread;

    // Owned by the gantry-config thread; `running` is also read by current().
    private volatile AgentConfig running;
    private WatchService watchService;
    private WatchKey watchKey;
    private boolean primed;
    private byte[] lastSeen;
    private long dirtySince = -1;
    private long lastPoll;
    private boolean pending;
    private byte[] pendingContent;
    private long pendingSince;
    private boolean reported;
    private byte[] reportedContent;

    private ConfigWatcher(Path file, AgentConfig running, Listener listener, Timing timing, boolean useEvents) {
        this.file = file.toAbsolutePath().normalize();
        this.running = Objects.requireNonNull(running, "running");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.useEvents = useEvents;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching {@code file}, whose content {@code running} was loaded from (or the defaults, when the agent
     * started without a file: the file appearing later is then a change like any other).
     */
    public static ConfigWatcher start(Path file, AgentConfig running, Listener listener) {
        return start(file, running, listener, Timing.DEFAULTS);
    }

    public static ConfigWatcher start(Path file, AgentConfig running, Listener listener, Timing timing) {
        return start(file, running, listener, timing, true);
    }

    /** {@code useEvents} false leaves only the content poll, as on a file system without events (for tests). */
    static ConfigWatcher start(Path file, AgentConfig running, Listener listener, Timing timing, boolean useEvents) {
        ConfigWatcher watcher = new ConfigWatcher(file, running, listener, timing, useEvents);
        // Primed here, before start returns, so that an edit made right after start is compared with the content
        // the agent loaded; the executor hands this state over to the gantry-config thread.
        watcher.prime();
        long tick = timing.tick().toNanos();
        watcher.thread.scheduleWithFixedDelay(watcher::tick, tick, tick, TimeUnit.NANOSECONDS);
        return watcher;
    }

    /** The configuration in force: the one the agent started with, or the last valid change. */
    public AgentConfig current() {
        return running;
    }

    public Path file() {
        return file;
    }

    /** True while invalid or missing content waits to see whether it was a write in progress (for tests). */
    boolean settling() {
        return callOnThread(() -> pending);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The configuration watcher did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeWatchService();
    }

    private void prime() {
        try {
            lastSeen = read().bytes();
            // A file that is missing now is how the agent started (on defaults): not a problem to report. A file
            // that is present is compared on the first look, in case it changed since the agent loaded it.
            primed = lastSeen == null;
            lastPoll = System.nanoTime();
            if (useEvents) {
                watchService = FileSystems.getDefault().newWatchService();
                register();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Watching {} for changes failed ({}); falling back to reading it every {}", file, e,
                    Durations.format(timing.poll()));
        }
        if (!primed) {
            markDirty(System.nanoTime() - timing.debounce().toNanos());
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            drainEvents(now);
            if (now - lastPoll >= timing.poll().toNanos()) {
                lastPoll = now;
                look(now);
            } else if (dirtySince >= 0 && now - dirtySince >= timing.debounce().toNanos()) {
                look(now);
            } else if (pending && now - pendingSince >= timing.settle().toNanos()) {
                look(now);
            }
        } catch (RuntimeException e) {
            // Guarded entry point: one bad look must not stop the watching.
            LOG.error("Checking configuration file {} failed", file, e);
        }
    }

    private void drainEvents(long now) {
        if (watchService == null) {
            return;
        }
        if (watchKey == null || !watchKey.isValid()) {
            register();
            if (watchKey != null) {
                markDirty(now);   // the directory came back: the file may have too
            }
            return;
        }
        WatchKey key;
        while ((key = pollKey()) != null) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.OVERFLOW
                        || file.getFileName().equals(event.context())) {
                    markDirty(now);
                }
            }
            if (!key.reset()) {
                watchKey = null;
                markDirty(now);
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
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try {
            watchKey = dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("Cannot watch {}; the content poll still runs", dir, e);
            watchKey = null;
        }
    }

    private void markDirty(long now) {
        dirtySince = now;
    }

    /** Reads the file and acts on what it holds now. */
    private void look(long now) {
        dirtySince = -1;
        Read read = read();
        if (primed && !pending && Arrays.equals(read.bytes(), lastSeen)) {
            return;
        }
        primed = true;
        lastSeen = read.bytes();
        AgentConfig next;
        try {
            if (read.error() != null) {
                throw read.error();
            }
            next = ConfigLoader.parse(read.bytes(), file.toString());
        } catch (ConfigException e) {
            invalid(read.bytes(), now, e);
            return;
        }
        pending = false;
        reported = false;
        reportedContent = null;
        apply(next);
    }

    /** Waits for content that may be a write in progress to settle, then reports it once. */
    private void invalid(byte[] content, long now, ConfigException problems) {
        if (reported && Arrays.equals(content, reportedContent)) {
            pending = false;
            return;
        }
        if (!pending || !Arrays.equals(content, pendingContent)) {
            pending = true;
            pendingContent = content;
            pendingSince = now;
            return;
        }
        if (now - pendingSince < timing.settle().toNanos()) {
            return;
        }
        pending = false;
        reported = true;
        reportedContent = content;
        LOG.error("The configuration file cannot be used; the running configuration stays in force.\n{}",
                problems.getMessage());
        try {
            listener.rejected(problems);
        } catch (RuntimeException e) {
            LOG.error("The configuration listener failed on a rejected file", e);
        }
    }

    private void apply(AgentConfig next) {
        AgentConfig previous = running;
        if (next.equals(previous)) {
            LOG.debug("Configuration file {} changed, but not the configuration", file);
            return;
        }
        ConfigChange change = ConfigChange.between(previous, next);
        running = next;
        LOG.info("Configuration changed: {}", change);
        try {
            listener.changed(change);
        } catch (RuntimeException e) {
            LOG.error("Applying the configuration change ({}) failed", change, e);
        }
    }

    /** The file's bytes, or (with {@code bytes} null) why there are none: missing, a directory, unreadable. */
    private record Read(byte[] bytes, ConfigException error) {
    }

    private Read read() {
        try {
            return new Read(ConfigLoader.read(file), null);
        } catch (ConfigException e) {
            return new Read(null, e);
        }
    }

    private void closeWatchService() {
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch service failed", e);
            }
        }
    }

    private <T> T callOnThread(java.util.concurrent.Callable<T> task) {
        try {
            return thread.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the configuration watcher did not answer", e);
        }
    }
}

package io.gantry.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and hands each valid change to a listener, on the watcher's own thread
 * {@code gantry-config}, which owns all of the watcher's state.
 *
 * <p>The watching itself is a {@link FileWatch} of the file's directory: a save by rename, and a file deleted and
 * created again, are seen; events are debounced, and the content is also compared every
 * {@link FileWatch.Timing#poll()} for file systems that send no events. The file is read whole and compared with the
 * content last seen, so a touch or an identical save does nothing, and a listener hears only of configurations that
 * really differ.
 *
 * <p>A read that does not parse or validate may be an editor half-way through a write: the watcher waits for
 * {@link FileWatch.Timing#settle()} and reads again. Only content that stays invalid is reported: once, at ERROR, with
 * every problem and its JSON path; not again until the file changes. The running configuration stays in force
 * meanwhile.
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

    private final Path file;
    private final Listener listener;
    private final FileWatch watch;

    // Owned by the gantry-config thread; `running` is also read by current().
    private volatile AgentConfig running;
    private boolean primed;
    private byte[] lastSeen;
    private boolean pending;
    private byte[] pendingContent;
    private long pendingSince;
    private boolean reported;
    private byte[] reportedContent;

    private ConfigWatcher(Path file, AgentConfig running, Listener listener, FileWatch.Timing timing,
                          boolean useEvents) {
        this.file = file.toAbsolutePath().normalize();
        this.running = Objects.requireNonNull(running, "running");
        this.listener = Objects.requireNonNull(listener, "listener");
        Path name = this.file.getFileName();
        this.watch = new FileWatch(THREAD_NAME, this.file.getParent(), name::equals, timing, useEvents, this::look);
    }

    /**
     * Starts watching {@code file}, whose content {@code running} was loaded from (or the defaults, when the agent
     * started without a file: the file appearing later is then a change like any other).
     */
    public static ConfigWatcher start(Path file, AgentConfig running, Listener listener) {
        return start(file, running, listener, FileWatch.Timing.DEFAULTS);
    }

    public static ConfigWatcher start(Path file, AgentConfig running, Listener listener, FileWatch.Timing timing) {
        return start(file, running, listener, timing, true);
    }

    /** {@code useEvents} false leaves only the content poll, as on a file system without events (for tests). */
    static ConfigWatcher start(Path file, AgentConfig running, Listener listener, FileWatch.Timing timing,
                               boolean useEvents) {
        ConfigWatcher watcher = new ConfigWatcher(file, running, listener, timing, useEvents);
        // Primed here, before start returns, so that an edit made right after start is compared with the content
        // the agent loaded; starting the watch hands this state over to the gantry-config thread.
        watcher.prime();
        watcher.watch.start();
        if (!watcher.primed) {
            watcher.watch.lookSoon();
        }
        return watcher;
    }

    /** The configuration in force: the one the agent started with, or the last valid change. */
    public AgentConfig current() {
        return running;
    }

    /** True while invalid or missing content waits to see whether it was a write in progress (for tests). */
    boolean settling() {
        return watch.call(() -> pending);
    }

    @Override
    public void close() {
        watch.close();
    }

    private void prime() {
        lastSeen = read().bytes();
        // A file that is missing now is how the agent started (on defaults): not a problem to report. A file that is
        // present is compared on the first look, in case it changed since the agent loaded it.
        primed = lastSeen == null;
    }

    /** Reads the file and acts on what it holds now. */
    private void look(long now) {
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
        }
        if (watch.settling(pendingSince, now)) {
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
}

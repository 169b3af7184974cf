package io.gantry.app.status;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of this agent's {@link LiveStatus}: each change is written to {@code state_dir} at once; the file is
 * removed on {@link #close()}. Thread-safe; a write that fails is logged and the agent keeps running.
 */
public final class StatusFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);

    private final Path stateDir;
    private final Clock clock;
    private LiveStatus status = LiveStatus.ofThisProcess();

    public StatusFile(Path stateDir, Clock clock) {
        this.stateDir = stateDir;
        this.clock = clock;
        update(UnaryOperator.identity());
    }

    public void connected(boolean up) {
        update(s -> s.withConnected(up));
    }

    public void published(String thingId) {
        update(s -> s.withPublication(thingId, clock.instant()));
    }

    /** The status as it is now (the dashboard shows it). */
    public synchronized LiveStatus current() {
        return status;
    }

    private synchronized void update(UnaryOperator<LiveStatus> change) {
        status = change.apply(status);
        try {
            status.write(stateDir);
        } catch (RuntimeException e) {
            LOG.warn("Cannot write the status for gantry doctor: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            LiveStatus.delete(stateDir);
        } catch (RuntimeException e) {
            LOG.warn("Cannot remove the status for gantry doctor: {}", e.getMessage());
        }
    }
}

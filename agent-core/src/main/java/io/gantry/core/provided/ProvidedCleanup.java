package io.gantry.core.provided;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.Subscription;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the metrics directories {@link ProvidingEngine} made ({@code state_dir/metrics/<name>}) once no container
 * uses them: at {@link #start}, after every engine {@code destroy} event and after every resynchronisation. A directory
 * changed less than {@link #GRACE} ago is kept, so that one made for a container that another process (the CLI) is
 * creating right now is not taken away before the container exists; it is looked at again when the grace is over.
 *
 * <p>Threading: the listener methods hand off to {@code gantry-provided}, which makes every engine call and file
 * operation; failures are logged and the next event tries again.
 */
public final class ProvidedCleanup implements EngineListener, AutoCloseable {

    static final Duration GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ProvidedCleanup.class);

    private final ContainerEngine engine;
    private final Path metricsRoot;
    private final Clock clock;
    private final ScheduledExecutorService worker = Threads.scheduled("gantry-provided");
    private Subscription subscription;

    public ProvidedCleanup(ContainerEngine engine, Path stateDir, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.metricsRoot = Objects.requireNonNull(stateDir, "stateDir").resolve(ProvidingEngine.METRICS_DIR);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized ProvidedCleanup start() {
        subscription = engine.subscribe(this);
        submit();
        return this;
    }

    @Override
    public void onEvent(ContainerEvent event) {
        if (event.kind() == ContainerEvent.Kind.REMOVED) {
            submit();
        }
    }

    @Override
    public void onResync() {
        submit();
    }

    private void submit() {
        try {
            worker.execute(Threads.guarded(this::sweep));
        } catch (RejectedExecutionException e) {
            LOG.debug("The cleanup of provided directories stops: {}", e.toString());
        }
    }

    /**
     * Removes every metrics directory no container names; runs on {@code gantry-provided} (tests call it too). One
     * kept for its grace is looked at again once the grace is over.
     */
    void sweep() {
        if (sweepOnce()) {
            try {
                worker.schedule(Threads.guarded(this::sweep), GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("The cleanup of provided directories stops: {}", e.toString());
            }
        }
    }

    /** Whether a directory no container names was kept for its grace. */
    private boolean sweepOnce() {
        if (!Files.isDirectory(metricsRoot)) {
            return false;
        }
        Set<String> used = new HashSet<>();
        try {
            for (Container c : engine.list()) {
                c.gantryLabel(ProvidingEngine.PROVIDED_METRICS_LABEL).ifPresent(used::add);
            }
        } catch (EngineException e) {
            LOG.debug("Provided directories not cleaned up now: {}", e.getMessage());
            return false;
        }
        boolean kept = false;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(metricsRoot)) {
            for (Path dir : dirs) {
                String key = dir.getFileName().toString();
                if (used.contains(key)) {
                    continue;
                }
                if (young(dir)) {
                    kept = true;
                    continue;
                }
                removeTree(dir);
                LOG.info("Removed {}, the metrics directory of container {}, which no longer exists", dir, key);
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean up the metrics directories in {}: {}", metricsRoot, e.toString());
        }
        return kept;
    }

    private boolean young(Path dir) throws IOException {
        return Files.getLastModifiedTime(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant()
                .isAfter(clock.instant().minus(GRACE));
    }

    /** Deletes {@code dir} and what the container left in it, never following a symbolic link out of it. */
    private static void removeTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        Threads.shutdown(worker, 5);
    }
}

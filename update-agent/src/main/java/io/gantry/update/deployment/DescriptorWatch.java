package io.gantry.update.deployment;

import io.gantry.config.FileWatch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the deployment directory on its own thread ({@code gantry-deploy-watch}, a {@link FileWatch}) and hands
 * every changed {@link Snapshot} to the deployment; it reads and parses files, and never calls the engine.
 *
 * <p>It is built for files that people edit while Gantry runs. A file whose new content does not parse may be a write
 * in progress: it keeps its container as it is at once, but is marked settling, and so not reported, until the same
 * content has stayed for {@link FileWatch.Timing#settle()}. A file that disappears may be an editor deleting and
 * writing it again: it counts as present, with its last content, until it has been gone for the settle time. A save
 * by rename is seen as a change of the file's content.
 *
 * <p>Threading: the looks and all of this object's state belong to the watch thread; {@link #close()} from any.
 */
final class DescriptorWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DescriptorWatch.class);
    static final String THREAD_NAME = "gantry-deploy-watch";

    private record Since(String digest, long nanos) {
    }

    private final Path directory;
    private final Consumer<Snapshot> handOff;
    private final FileWatch watch;

    // Owned by the watch thread.
    private final Map<String, DescriptorFile> parsed = new HashMap<>();
    private final Map<String, Since> invalidSince = new HashMap<>();
    private final Map<String, Long> goneSince = new HashMap<>();
    private Snapshot handed;

    DescriptorWatch(Path directory, FileWatch.Timing timing, boolean useEvents, Consumer<Snapshot> handOff) {
        this.directory = directory;
        this.handOff = Objects.requireNonNull(handOff, "handOff");
        this.watch = new FileWatch(THREAD_NAME, directory, name -> DescriptorFile.isDescriptorName(name.toString()),
                timing, useEvents, this::look);
    }

    /** Starts watching; the first snapshot is handed off at once. */
    void start() {
        watch.start();
        watch.lookSoon();
    }

    @Override
    public void close() {
        watch.close();
    }

    private void look(long now) {
        Snapshot.Listing listing = Snapshot.list(directory);
        Snapshot next;
        if (listing.contents() == null) {
            parsed.clear();
            invalidSince.clear();
            goneSince.clear();
            next = Snapshot.unreadable(listing.problem());
        } else {
            next = files(listing, now);
        }
        if (!next.equals(handed)) {
            handed = next;
            LOG.debug("Descriptor files changed: {}", next.files().keySet());
            handOff.accept(next);
        }
    }

    private Snapshot files(Snapshot.Listing listing, long now) {
        Map<String, DescriptorFile> files = new TreeMap<>();
        listing.contents().forEach((name, bytes) -> files.put(name, parse(name, bytes)));
        listing.unreadable().forEach((name, reason) -> files.put(name, DescriptorFile.unreadable(name, reason)));
        parsed.keySet().retainAll(listing.contents().keySet());
        Set<String> settling = new TreeSet<>();
        Set<String> leaving = new TreeSet<>();
        for (DescriptorFile f : files.values()) {
            goneSince.remove(f.name());
            if (f.valid()) {
                invalidSince.remove(f.name());
                continue;
            }
            Since since = invalidSince.get(f.name());
            if (since == null || !since.digest().equals(f.digest())) {
                since = new Since(f.digest(), now);
                invalidSince.put(f.name(), since);
            }
            if (watch.settling(since.nanos(), now)) {
                settling.add(f.name());
            }
        }
        if (handed != null) {
            for (DescriptorFile previous : handed.files().values()) {
                if (files.containsKey(previous.name())) {
                    continue;
                }
                long gone = goneSince.computeIfAbsent(previous.name(), n -> now);
                if (watch.settling(gone, now)) {
                    files.put(previous.name(), previous);
                    leaving.add(previous.name());
                    if (handed.settling().contains(previous.name())) {
                        settling.add(previous.name());
                    }
                } else {
                    goneSince.remove(previous.name());
                    invalidSince.remove(previous.name());
                }
            }
        }
        return new Snapshot(true, "", files, settling, leaving);
    }

    /** Parses a file's content, or reuses the last result when the content is the same. */
    private DescriptorFile parse(String name, byte[] bytes) {
        DescriptorFile last = parsed.get(name);
        String digest = DescriptorFile.digest(bytes);
        if (last != null && last.digest().equals(digest)) {
            return last;
        }
        DescriptorFile file = DescriptorFile.parse(name, bytes);
        parsed.put(name, file);
        return file;
    }
}

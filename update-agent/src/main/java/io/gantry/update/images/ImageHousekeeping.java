package io.gantry.update.images;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.EngineException;
import io.gantry.core.image.DiskSpace;
import io.gantry.core.image.ImageStore;
import io.gantry.core.image.StoredImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk housekeeping after a successful update: removes the images Gantry pulled that no container uses, except the
 * {@code keep} previous images of each managed container, which a rollback may need (Kanto calls this image expiry).
 * The images each managed container ran are remembered in {@code state_dir/images/history}, newest last.
 *
 * <p>Runs on its own thread {@code gantry-images}; a failure is logged and the next successful update tries again.
 */
public final class ImageHousekeeping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageHousekeeping.class);

    /** What housekeeping may do: off ({@code engine.image_expiry_disable}) and how many previous images to keep. */
    public record Settings(boolean disabled, int keepPrevious) {
        public Settings {
            if (keepPrevious < 0) {
                throw new IllegalArgumentException("keepPrevious is negative: " + keepPrevious);
            }
        }
    }

    /** One pass: the images removed and the bytes they held. */
    public record Result(List<String> removed, long freedBytes) {
        public Result {
            removed = List.copyOf(removed);
        }
    }

    private final ContainerEngine engine;
    private final ImageStore store;
    private final Supplier<Settings> settings;
    private final Path historyFile;
    private final ExecutorService thread = Threads.single("gantry-images");

    public ImageHousekeeping(ContainerEngine engine, ImageStore store, Supplier<Settings> settings, Path stateDir) {
        this.engine = engine;
        this.store = store;
        this.settings = settings;
        this.historyFile = stateDir.resolve("images").resolve("history");
    }

    /** Notes the images the managed containers run now, so that the first update keeps their predecessors. */
    public void recordCurrent() {
        thread.execute(() -> warnOnFailure(() -> saveHistory(history(engine.list(), settings.get().keepPrevious()))));
    }

    /** Called after an operation ended COMPLETED: one pass in the background. */
    public void afterSuccessfulUpdate() {
        thread.execute(() -> warnOnFailure(this::run));
    }

    /** One pass, on the calling thread. */
    public Result run() {
        Settings s = settings.get();
        List<Container> containers = engine.list();
        Map<String, List<String>> history = history(containers, s.keepPrevious());
        saveHistory(history);
        if (s.disabled()) {
            return new Result(List.of(), 0);
        }
        List<String> removed = new ArrayList<>();
        long freed = 0;
        for (StoredImage image : removable(store.images(), containers, history)) {
            if (store.remove(image.id())) {
                removed.add(image.id());
                freed += image.sizeBytes();
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("Removed {} unused image(s) that Gantry pulled, {} freed", removed.size(),
                    DiskSpace.format(freed));
        }
        return new Result(removed, freed);
    }

    /**
     * The images to remove: pulled by Gantry, used by no container (running or not, managed or not), and not among
     * the remembered images of a managed container.
     */
    static List<StoredImage> removable(List<StoredImage> images, List<Container> containers,
                                       Map<String, List<String>> history) {
        Set<String> kept = new HashSet<>();
        containers.forEach(c -> kept.add(c.imageId()));
        history.values().forEach(kept::addAll);
        return images.stream().filter(StoredImage::pulledByGantry).filter(i -> !kept.contains(i.id())).toList();
    }

    /**
     * The remembered images of each managed container now present, with its current image appended, trimmed to
     * the current one and {@code keep} before it. A container that is gone takes its history with it.
     */
    Map<String, List<String>> history(List<Container> containers, int keep) {
        Map<String, List<String>> before = loadHistory();
        Map<String, List<String>> after = new LinkedHashMap<>();
        for (Container c : containers) {
            if (!c.managed() || c.imageId() == null || c.imageId().isEmpty()) {
                continue;
            }
            List<String> images = new ArrayList<>(before.getOrDefault(c.name().value(), List.of()));
            images.remove(c.imageId());
            images.add(c.imageId());
            after.put(c.name().value(), List.copyOf(images.subList(Math.max(0, images.size() - keep - 1),
                    images.size())));
        }
        return after;
    }

    /** {@code name id id …} lines; a line that cannot be read is skipped. */
    private Map<String, List<String>> loadHistory() {
        Map<String, List<String>> history = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(historyFile, StandardCharsets.UTF_8)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2) {
                    history.put(words[0], List.of(words).subList(1, words.length));
                }
            }
        } catch (NoSuchFileException e) {
            // the first pass
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + historyFile, e);
        }
        return history;
    }

    private void saveHistory(Map<String, List<String>> history) {
        StringBuilder text = new StringBuilder();
        history.forEach((name, images) -> text.append(name).append(' ').append(String.join(" ", images))
                .append('\n'));
        try {
            Files.createDirectories(historyFile.getParent());
            Path temporary = historyFile.resolveSibling("history.tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, historyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + historyFile, e);
        }
    }

    /** The engine or the history file failing is a transient loss (WARN); anything else reaches the thread's guard. */
    private static void warnOnFailure(Runnable pass) {
        try {
            pass.run();
        } catch (EngineException | UncheckedIOException e) {
            LOG.warn("Image housekeeping failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        Threads.shutdown(thread, 5);
    }
}

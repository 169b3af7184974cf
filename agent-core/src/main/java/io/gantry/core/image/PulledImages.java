package io.gantry.core.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ids of the images Gantry pulled, one a line in {@code state_dir/images/pulled}: housekeeping removes only
 * these, never an image someone else pulled. The engine adapter owns it. Lines are appended (one short write each)
 * and the file is rewritten only to forget removed images, so a crash or a concurrent CLI pull can at worst lose an
 * id, which keeps that image: the safe side. Lines that are not an image id are skipped when read.
 */
public final class PulledImages {

    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Path file;

    public PulledImages(Path stateDir) {
        this.file = stateDir.resolve("images").resolve("pulled");
    }

    /** Notes that Gantry pulled {@code imageId}. */
    public synchronized void add(String imageId) {
        if (!IMAGE_ID.matcher(imageId).matches()) {
            throw new IllegalArgumentException("not an image id: " + imageId);
        }
        if (read().contains(imageId)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, imageId + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot note the pulled image in " + file, e);
        }
    }

    /** The ids noted so far, oldest first. */
    public synchronized Set<String> read() {
        try {
            Set<String> ids = new LinkedHashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (IMAGE_ID.matcher(line.strip()).matches()) {
                    ids.add(line.strip());
                }
            }
            return ids;
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Forgets an image that was removed; the file is rewritten whole. */
    public synchronized void forget(String imageId) {
        Set<String> kept = new LinkedHashSet<>(read());
        if (!kept.remove(imageId)) {
            return;
        }
        try {
            Path temporary = file.resolveSibling("pulled.tmp");
            Files.writeString(temporary, kept.isEmpty() ? "" : String.join("\n", kept) + "\n",
                    StandardCharsets.US_ASCII);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + file, e);
        }
    }
}

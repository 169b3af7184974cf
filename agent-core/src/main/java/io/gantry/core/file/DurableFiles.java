package io.gantry.core.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and removes a small state file so that after a crash at any moment it holds either the previous or the new
 * content, never a torn one: written to {@code <file>.tmp}, forced to disk, renamed over the old one, directory
 * forced.
 *
 * <p>Threading: callers serialise writes of one file (each file has one owner thread).
 */
public final class DurableFiles {

    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

    private DurableFiles() {
    }

    /** Replaces {@code file} with {@code bytes} (creating its directory) and returns once it is on disk. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = temporary(file);
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(directory);
    }

    /** Removes {@code file} and a temporary file a crash left beside it; returns whether there was either. */
    public static boolean delete(Path file) throws IOException {
        boolean removed = Files.deleteIfExists(file) | Files.deleteIfExists(temporary(file)); // both, so no ||
        if (removed) {
            forceDirectory(file.toAbsolutePath().getParent());
        }
        return removed;
    }

    private static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static void forceDirectory(Path directory) {
        // Makes the rename durable; some file systems do not allow opening a directory, which is then best effort.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }
}

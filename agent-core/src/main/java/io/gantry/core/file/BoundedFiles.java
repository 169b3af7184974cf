package io.gantry.core.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file that Gantry reads at start (a descriptor, the journal, the twin's state file) without ever holding
 * more than a bound in memory, so that no file, however large it has become, can make the agent run out of memory at
 * every start.
 */
public final class BoundedFiles {

    private BoundedFiles() {
    }

    /**
     * The whole content of {@code file}, at most {@code maxBytes} of it.
     *
     * @throws TooLargeException when the file holds more (also when it grew while being read)
     * @throws IOException       when it cannot be read ({@link java.nio.file.NoSuchFileException} when it is gone)
     */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new TooLargeException(file, maxBytes);
            }
            return content;
        }
    }

    /** A file larger than its bound; the message says which and how large it may be. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(Path file, int maxBytes) {
            super("the file " + file + " is larger than " + maxBytes + " bytes, the most it may hold");
        }
    }
}

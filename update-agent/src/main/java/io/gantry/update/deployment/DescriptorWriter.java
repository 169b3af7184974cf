package io.gantry.update.deployment;

import io.gantry.core.file.BoundedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes one descriptor file of the deployment directory for an editor (the dashboard's form), so that the deployment
 * sees one complete change: the content goes to a hidden temporary file in the same directory (which the deployment
 * ignores), is forced to the disk, and is renamed over the file (docs/descriptors.md, "Editing files while Gantry
 * runs").
 *
 * <p>Contract: {@link #write} replaces the file only when it still has the content the editor loaded (its
 * {@link DescriptorFile#digest}), or creates it only when it does not exist, and throws {@link ChangedMeanwhile}
 * otherwise. The check and the rename are not one atomic step: a change made in between by another writer is lost, as
 * with any two editors. Stateless; safe from any thread.
 */
public final class DescriptorWriter {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String TOO_LARGE = "the file is larger than " + DescriptorFile.MAX_BYTES
            + " bytes, the most a descriptor file may hold";

    private DescriptorWriter() {
    }

    /** The file was created, changed or removed since the editor read it. */
    public static final class ChangedMeanwhile extends Exception {
        public ChangedMeanwhile(String message) {
            super(message);
        }
    }

    /** True for a name the deployment reads that is also a plain file name (no directory part). */
    public static boolean isFileName(String fileName) {
        return DescriptorFile.isDescriptorName(fileName) && fileName.length() <= 255
                && fileName.matches("[A-Za-z0-9][A-Za-z0-9_.-]*");
    }

    /** The file {@code fileName} as the deployment reads it, empty when there is none. */
    public static Optional<DescriptorFile> read(Path directory, String fileName) throws IOException {
        try {
            return content(directory, fileName).map(bytes -> DescriptorFile.parse(fileName, bytes));
        } catch (BoundedFiles.TooLargeException e) {
            return Optional.of(DescriptorFile.unreadable(fileName, TOO_LARGE));
        }
    }

    /**
     * The bytes of {@code fileName}, empty when there is none.
     *
     * @throws BoundedFiles.TooLargeException when it holds more than {@link DescriptorFile#MAX_BYTES}
     */
    public static Optional<byte[]> content(Path directory, String fileName) throws IOException {
        requireFileName(fileName);
        try {
            return Optional.of(BoundedFiles.read(directory.resolve(fileName), DescriptorFile.MAX_BYTES));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes {@code content} as {@code fileName} in {@code directory}.
     *
     * @param loadedDigest the digest of the content the editor loaded, or empty for a new file
     * @throws ChangedMeanwhile when the file is not (or no longer) as the editor loaded it
     * @throws IOException when the directory cannot be written
     */
    public static void write(Path directory, String fileName, byte[] content, Optional<String> loadedDigest)
            throws IOException, ChangedMeanwhile {
        requireFileName(fileName);
        Objects.requireNonNull(content, "content");
        Path target = directory.resolve(fileName);
        Optional<DescriptorFile> now = read(directory, fileName);
        if (loadedDigest.isEmpty() && now.isPresent()) {
            throw new ChangedMeanwhile(fileName + " exists already; edit it instead");
        }
        if (loadedDigest.isPresent() && !now.map(DescriptorFile::digest).equals(loadedDigest)) {
            throw new ChangedMeanwhile(fileName + " was changed or removed since it was loaded; load it again");
        }
        Path temporary = directory.resolve("." + fileName + ".tmp-" + HexFormat.of().formatHex(nonce()));
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true); // the rename must never publish a file whose content is not on the disk yet
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void requireFileName(String fileName) {
        if (!isFileName(fileName)) {
            throw new IllegalArgumentException("not a descriptor file name (letters, digits, _ . -, ending in .json): "
                    + fileName);
        }
    }

    private static byte[] nonce() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

package io.gantry.core.image;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** The free and total bytes of the file system that holds {@code path}, as an unprivileged process may use them. */
public record DiskSpace(Path path, long freeBytes, long totalBytes) {

    public DiskSpace {
        Objects.requireNonNull(path, "path");
        if (freeBytes < 0 || totalBytes < 0) {
            throw new IllegalArgumentException("negative space on " + path);
        }
    }

    /** The space of the file system under {@code path}; empty when the path does not exist here. */
    public static Optional<DiskSpace> of(Path path) {
        try {
            FileStore store = Files.getFileStore(path);
            return Optional.of(new DiskSpace(path, store.getUsableSpace(), store.getTotalSpace()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code 1.2 GiB}-style figures for messages. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

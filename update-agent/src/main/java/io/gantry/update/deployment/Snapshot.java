package io.gantry.update.deployment;

import io.gantry.core.file.BoundedFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The descriptor files of the deployment directory, by file name, as the deployment acts on them.
 *
 * <p>{@code directoryReadable} false means the directory is missing or cannot be listed: then nothing is known about
 * the files and nothing is changed. {@code settling} names the invalid files whose content is new and may be a write
 * in progress: they already keep their containers as they are, but are reported only once they stay so.
 * {@code leaving} names files that have just disappeared and still count, with their last content, in case they are
 * being written again; a file that is present wins over a leaving one (a file renamed).
 */
public record Snapshot(boolean directoryReadable, String directoryProblem, Map<String, DescriptorFile> files,
                       Set<String> settling, Set<String> leaving) {

    public Snapshot {
        Objects.requireNonNull(directoryProblem, "directoryProblem");
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        settling = Collections.unmodifiableSet(new TreeSet<>(settling));
        leaving = Collections.unmodifiableSet(new TreeSet<>(leaving));
    }

    public static Snapshot unreadable(String problem) {
        return new Snapshot(false, problem, Map.of(), Set.of(), Set.of());
    }

    /**
     * Reads every descriptor file of {@code directory} (not its subdirectories) as it is now; a file that cannot be
     * read is a file with a problem, a directory that cannot be listed an unreadable snapshot.
     */
    public static Snapshot read(Path directory) {
        Listing listing = list(directory);
        if (listing.contents() == null) {
            return unreadable(listing.problem());
        }
        Map<String, DescriptorFile> files = new TreeMap<>();
        listing.contents().forEach((name, bytes) -> files.put(name, DescriptorFile.parse(name, bytes)));
        listing.unreadable().forEach((name, reason) -> files.put(name, DescriptorFile.unreadable(name, reason)));
        return new Snapshot(true, "", files, Set.of(), Set.of());
    }

    /** The names and contents of the descriptor files of {@code directory}; a problem instead of the files. */
    static Listing list(Path directory) {
        Map<String, byte[]> contents = new TreeMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!DescriptorFile.isDescriptorName(name) || !Files.isRegularFile(entry)) {
                    continue;
                }
                try {
                    // never more than the limit in memory, however large the file is (or grows while it is read)
                    contents.put(name, BoundedFiles.read(entry, DescriptorFile.MAX_BYTES));
                } catch (BoundedFiles.TooLargeException e) {
                    unreadable.put(name, DescriptorWriter.TOO_LARGE);
                } catch (NoSuchFileException e) {
                    // removed between the listing and the read: as if it had not been listed
                } catch (IOException e) {
                    unreadable.put(name, e.toString());
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return new Listing(null, null, directory + " does not exist or is not a directory");
        } catch (IOException e) {
            return new Listing(null, null, directory + " cannot be listed: " + e);
        }
        return new Listing(contents, unreadable, "");
    }

    /** What a listing found: file contents and files that could not be read, or (contents null) a problem. */
    record Listing(Map<String, byte[]> contents, Map<String, String> unreadable, String problem) {
    }
}

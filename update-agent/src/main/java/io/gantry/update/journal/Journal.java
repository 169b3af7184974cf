package io.gantry.update.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gantry.core.file.BoundedFiles;
import io.gantry.core.file.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of the operation in progress (of the update agent, or of the descriptor deployment): one JSON file
 * under the state directory, replaced atomically (written to a temporary file, forced to disk, renamed over the old
 * one, directory forced), so that after a crash at any moment it holds either the previous or the new record, never a
 * torn one.
 *
 * <p>Threading: used only by its owner's thread ({@code gantry-update} or {@code gantry-deploy}).
 */
public final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Far more than any operation writes (a few KiB per action); a larger file is damaged, not read. */
    static final int MAX_BYTES = 16 << 20;

    private final Path directory;
    private final Path file;

    /** The update agent's journal, {@code <stateDir>/update-agent/operation.json}. */
    public Journal(Path stateDir) {
        this(stateDir, "update-agent");
    }

    /** The journal of another user of the reconciler, {@code <stateDir>/<owner>/operation.json}. */
    public Journal(Path stateDir, String owner) {
        this.directory = stateDir.resolve(owner);
        this.file = directory.resolve("operation.json");
    }

    public Path file() {
        return file;
    }

    /**
     * Replaces the journal with {@code record} and returns once it is on disk.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public void write(JournalRecord record) {
        try {
            DurableFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the update journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The journaled operation, if one was left unfinished. A journal that cannot be read, or is larger than {@link
     * #MAX_BYTES}, is moved aside (so that it is looked at rather than lost) and reported as absent.
     */
    public Optional<JournalRecord> read() {
        byte[] bytes;
        try {
            bytes = BoundedFiles.read(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (BoundedFiles.TooLargeException e) {
            return setAside(e);
        } catch (IOException e) {
            LOG.error("Cannot read the update journal {}: {}", file, e.toString());
            return Optional.empty();
        }
        try {
            JournalRecord record = MAPPER.readValue(bytes, JournalRecord.class);
            if (record.format() != JournalRecord.FORMAT || record.operationId() == null
                    || record.activityId() == null) {
                throw new IOException("unknown journal format " + record.format());
            }
            return Optional.of(record);
        } catch (IOException e) {
            return setAside(e);
        }
    }

    private Optional<JournalRecord> setAside(IOException problem) {
        Path aside = directory.resolve("operation.json.unreadable-" + System.currentTimeMillis());
        LOG.error("The update journal {} cannot be read ({}); it is kept as {} and the operation it described"
                + " is not recovered", file, problem.getMessage(), aside);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException moveFailure) {
            LOG.error("Cannot move the unreadable update journal aside: {}", moveFailure.toString());
        }
        return Optional.empty();
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Removes the journal once its operation has ended. */
    public void delete() {
        try {
            DurableFiles.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the update journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a journal file's text; for tests and diagnostics. */
    public static JournalRecord parse(String json) {
        try {
            return MAPPER.readValue(json, JournalRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

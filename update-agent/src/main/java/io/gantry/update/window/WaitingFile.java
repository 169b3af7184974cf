package io.gantry.update.window;

import io.gantry.core.file.BoundedFiles;
import io.gantry.core.file.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of the desired state that waits for an update window: the message as it arrived, kept in
 * {@code <stateDir>/update-agent/waiting.json} (replaced durably), so that an agent restart still carries it out when
 * the window opens (docs/update-agent.md, "Update windows").
 *
 * <p>Threading: written only under the {@link UpdateWindowGate}'s lock; read once at start. Failures to write are
 * logged, not thrown: the desired state still waits in memory.
 */
public final class WaitingFile {

    private static final Logger LOG = LoggerFactory.getLogger(WaitingFile.class);
    /** A desired state message is read with this bound too; a larger file is damaged, not read. */
    static final int MAX_BYTES = 16 << 20;

    private final Path file;

    public WaitingFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public Path file() {
        return file;
    }

    /** Keeps {@code desiredState} (the whole message, as received) as the one that waits. */
    void keep(String activityId, byte[] desiredState) {
        try {
            DurableFiles.write(file, desiredState);
        } catch (IOException e) {
            LOG.error("Cannot journal desired state {}, which waits for the update window, in {}: {}; it is lost if"
                    + " Gantry restarts before the window opens", activityId, file, e.toString());
        }
    }

    /** No desired state waits any more. */
    void forget() {
        try {
            DurableFiles.delete(file);
        } catch (IOException e) {
            LOG.error("Cannot remove {}: {}; after a restart its desired state would wait again", file, e.toString());
        }
    }

    /**
     * The desired state that waited when the agent stopped, if any. A file that cannot be read or is too large is
     * moved aside (kept for a person to look at) and reported as absent.
     */
    public Optional<byte[]> read() {
        try {
            return Optional.of(BoundedFiles.read(file, MAX_BYTES));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            LOG.error("The waiting desired state {} cannot be read ({}); it is kept as {} and not carried out", file,
                    e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailure) {
                LOG.error("Cannot move {} aside: {}", file, moveFailure.toString());
            }
            return Optional.empty();
        }
    }
}

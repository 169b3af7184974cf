package io.gantry.app.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.file.BoundedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a running {@code gantry run} tells {@code gantry doctor} through {@code state_dir/status.json}: its process,
 * whether the broker connection is up, the thing id and when the whole twin was last published. The file counts only
 * while the process that wrote it is alive (same pid, same start time), so a stale file of a stopped agent is ignored.
 */
public record LiveStatus(long pid, Instant processStart, boolean connected, Optional<String> thingId,
                         Optional<Instant> lastFullPublication) {

    public static final String FILE = "status.json";
    private static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    public LiveStatus {
        Objects.requireNonNull(processStart, "processStart");
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(lastFullPublication, "lastFullPublication");
    }

    /** This process, not connected, nothing published yet. */
    public static LiveStatus ofThisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return new LiveStatus(self.pid(), self.info().startInstant().orElse(Instant.EPOCH), false, Optional.empty(),
                Optional.empty());
    }

    public LiveStatus withConnected(boolean up) {
        return new LiveStatus(pid, processStart, up, thingId, lastFullPublication);
    }

    public LiveStatus withPublication(String thing, Instant at) {
        return new LiveStatus(pid, processStart, connected, Optional.of(thing), Optional.of(at));
    }

    /** Replaces the file in {@code stateDir} at once (a reader sees the old or the new status, never half of one). */
    public void write(Path stateDir) {
        ObjectNode node = JSON.createObjectNode().put("pid", pid).put("process_start", processStart.toString())
                .put("connected", connected);
        thingId.ifPresent(t -> node.put("thing_id", t));
        lastFullPublication.ifPresent(at -> node.put("last_full_publication", at.toString()));
        Path file = stateDir.resolve(FILE);
        Path temporary = stateDir.resolve(FILE + ".tmp");
        try {
            Files.write(temporary, JSON.writeValueAsBytes(node));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes the file when the agent stops. */
    public static void delete(Path stateDir) {
        try {
            Files.deleteIfExists(stateDir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + stateDir.resolve(FILE), e);
        }
    }

    /**
     * The status in {@code stateDir} when the process that wrote it still runs; empty when there is no file, it is
     * not a status, or its writer has gone.
     */
    public static Optional<LiveStatus> readLive(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        LiveStatus status;
        try {
            JsonNode node = JSON.readTree(BoundedFiles.read(file, MAX_BYTES));
            status = new LiveStatus(node.required("pid").asLong(), Instant.parse(node.required("process_start")
                    .asText()), node.required("connected").asBoolean(), text(node, "thing_id"),
                    text(node, "last_full_publication").map(Instant::parse));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // none, or garbled: no live status, so the doctor asks the broker itself
        }
        return status.alive() ? Optional.of(status) : Optional.empty();
    }

    private boolean alive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().startInstant().orElse(Instant.EPOCH).equals(processStart)).orElse(false);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }
}

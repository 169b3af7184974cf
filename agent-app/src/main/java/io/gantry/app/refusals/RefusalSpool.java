package io.gantry.app.refusals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.file.BoundedFiles;
import io.gantry.core.file.DurableFiles;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.policy.Refusal;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded spool through which {@code gantry create}, which checks the rules in its own process, hands its refusals
 * to the agent (docs/trust.md, "Recent refusals"): the CLI {@link #offer}s one small JSON file per refusal into
 * {@code <state_dir>/refusals/} (directory 0700, at most {@link #MAX_FILES} files waiting, each written durably), and
 * the running agent {@link #drain}s them — counts, records and deletes each — at start and every few seconds. A
 * refusal made while no agent runs is taken up by the next one.
 *
 * <p>Contract: both sides treat the files as outside input. {@link #offer} never throws (a spool that cannot be
 * written costs only the record; the CLI has printed the refusal already). {@link #drain} validates each file (at most
 * {@link #MAX_BYTES}, JSON with {@code time}, {@code rule} a configuration key's path, {@code image}, {@code subject},
 * {@code message}, optional {@code digest}), reports a bad one at WARN with its file name, and deletes every file it
 * has read. Threading: {@link #drain} runs on one thread (the agent's spool timer).
 */
public final class RefusalSpool {

    /** Under {@code state_dir}. */
    public static final String DIRECTORY = "refusals";
    static final int MAX_FILES = 100;
    static final int MAX_BYTES = 8192;

    private static final Logger LOG = LoggerFactory.getLogger(RefusalSpool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final int MAX_TEXT = 1024;

    private final Path directory;

    public RefusalSpool(Path stateDir) {
        this.directory = Objects.requireNonNull(stateDir, "stateDir").resolve(DIRECTORY);
    }

    public Path directory() {
        return directory;
    }

    /** Leaves {@code refusal} (a CLI refusal) for the agent; quietly does nothing when the spool is full or not writable. */
    public void offer(Refusal refusal) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            if (waiting().size() >= MAX_FILES) {
                LOG.debug("The refusal spool {} is full; this refusal is not recorded", directory);
                return;
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("time", refusal.time().toString());
            o.put("rule", refusal.rule());
            o.put("image", refusal.image());
            refusal.digest().ifPresent(d -> o.put("digest", d));
            o.put("subject", refusal.subject());
            o.put("message", refusal.message());
            String name = refusal.time().toEpochMilli() + "-" + ProcessHandle.current().pid() + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".json";
            DurableFiles.write(directory.resolve(name), JSON.writeValueAsBytes(o));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot leave the refusal for the agent in {}: {}", directory, e.toString());
        }
    }

    /** Hands every waiting refusal, oldest first, to {@code taken} (as a {@code cli} refusal), deleting each file. */
    public void drain(Consumer<Refusal> taken) {
        List<Path> files;
        try {
            files = waiting();
        } catch (IOException e) {
            LOG.debug("No refusals taken from {}: {}", directory, e.toString());
            return;
        }
        for (Path file : files) {
            try {
                read(file).ifPresent(taken);
            } finally {
                try {
                    DurableFiles.delete(file);
                } catch (IOException e) {
                    LOG.warn("Cannot remove {} from the refusal spool: {}", file, e.toString());
                }
            }
        }
    }

    private List<Path> waiting() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.json")) {
            entries.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private Optional<Refusal> read(Path file) {
        try {
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("not a regular file");
            }
            JsonNode o = JSON.readTree(BoundedFiles.read(file, MAX_BYTES));
            if (o == null || !o.isObject()) {
                throw new IOException("not a JSON object");
            }
            String rule = text(o, "rule");
            if (!RULE.matcher(rule).matches()) {
                throw new IOException("rule \"" + rule + "\" is not a configuration key's path");
            }
            Instant time;
            try {
                time = Instant.parse(text(o, "time"));
            } catch (DateTimeParseException e) {
                throw new IOException("time is not an ISO-8601 instant", e);
            }
            Optional<String> digest = o.has("digest") ? Optional.of(text(o, "digest")) : Optional.empty();
            return Optional.of(new Refusal(time, CreationOrigin.CLI, rule, text(o, "image"), digest,
                    text(o, "subject"), Refusal.REFUSED, text(o, "message")));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Refusal spool file {} is not a refusal Gantry wrote ({}); dropped", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static String text(JsonNode o, String field) throws IOException {
        JsonNode v = o.path(field);
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_TEXT) {
            throw new IOException(field + " is missing, not a string, empty or longer than " + MAX_TEXT);
        }
        return v.asText();
    }
}

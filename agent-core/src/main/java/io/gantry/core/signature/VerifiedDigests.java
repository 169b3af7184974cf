package io.gantry.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ImageRef;
import io.gantry.core.file.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digests Gantry resolved and verified, in {@code state_dir/trust/verified.json}: which digest a tag named when it
 * was checked, and under which rule and anchor fingerprint, so that a gateway that starts without its registry still
 * deploys what was verified, and a digest verified under the same anchor is not verified again. An entry whose
 * fingerprint differs from the rule's anchor now does not count.
 *
 * <p>Bounded to {@value #MAX_ENTRIES} entries (the oldest are forgotten) and {@value #MAX_BYTES} bytes; written whole
 * and atomically on every change; entries that are not valid are skipped when read, and a file that cannot be read
 * is logged and treated as empty (everything is verified again). Write failures are logged, never thrown: forgetting
 * is the safe side. Thread-safe.
 */
public final class VerifiedDigests {

    static final int MAX_ENTRIES = 512;
    static final int MAX_BYTES = 512 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(VerifiedDigests.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}|");

    private final Path file;
    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();

    /** One remembered resolution: {@code image} (canonical, by tag) named {@code digest}, allowed by {@code rule}. */
    public record Entry(String image, String digest, String rule, String fingerprint, Instant verifiedAt) {
        public Entry {
            Objects.requireNonNull(image, "image");
            if (!DIGEST.matcher(Objects.requireNonNull(digest, "digest")).matches()) {
                throw new IllegalArgumentException("not a sha256 digest: " + digest);
            }
            Objects.requireNonNull(rule, "rule");
            if (!FINGERPRINT.matcher(Objects.requireNonNull(fingerprint, "fingerprint")).matches()) {
                throw new IllegalArgumentException("not a fingerprint: " + fingerprint);
            }
            Objects.requireNonNull(verifiedAt, "verifiedAt");
        }
    }

    public VerifiedDigests(Path stateDir, Clock clock) {
        this.file = stateDir.resolve("trust").resolve("verified.json");
        this.clock = Objects.requireNonNull(clock, "clock");
        entries.addAll(read(file));
    }

    private VerifiedDigests(Clock clock) {
        this.file = null;
        this.clock = clock;
    }

    /** Remembers for the life of the process only: for tools without a state directory. */
    public static VerifiedDigests inMemory() {
        return new VerifiedDigests(Clock.systemUTC());
    }

    /** The latest digest {@code image} was resolved to under an anchor of {@code fingerprint} ("" for none). */
    public synchronized Optional<Entry> forImage(ImageRef image, String fingerprint) {
        String canonical = image.canonical();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.image().equals(canonical) && e.fingerprint().equals(fingerprint)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code digest}'s signature in {@code image}'s repository was verified under an anchor of
     * {@code fingerprint}. A signature is bound to its repository (cosign's payload names it, and it is stored
     * there), so the same content in another repository is verified there again.
     */
    public synchronized boolean verified(ImageRef image, String digest, String fingerprint) {
        String repository = image.name();
        return !fingerprint.isEmpty() && entries.stream().anyMatch(e -> e.digest().equals(digest)
                && e.fingerprint().equals(fingerprint) && ImageRef.parse(e.image()).name().equals(repository));
    }

    /** Remembers that {@code image} named {@code digest}, allowed by {@code rule}; written at once. */
    public synchronized void remember(ImageRef image, String digest, String rule, String fingerprint) {
        Entry entry = new Entry(image.canonical(), digest, rule, fingerprint, clock.instant());
        Optional<Entry> same = forImage(image, fingerprint).filter(e -> e.digest().equals(digest));
        entries.removeIf(e -> e.image().equals(entry.image()) && e.fingerprint().equals(fingerprint));
        entries.add(entry);
        while (entries.size() > MAX_ENTRIES) {
            entries.remove(0);
        }
        if (same.isEmpty()) {
            write();
        }
    }

    private void write() {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("version", 1);
        ArrayNode list = root.putArray("entries");
        for (Entry e : entries) {
            list.addObject().put("image", e.image()).put("digest", e.digest()).put("rule", e.rule())
                    .put("fingerprint", e.fingerprint()).put("verified_at", e.verifiedAt().toString());
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Cannot write the verified digests to {}: {} (they are verified again after a restart)", file,
                    e.toString());
        }
    }

    private static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(BoundedFiles.read(file, MAX_BYTES));
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            LOG.warn("Cannot read the verified digests in {}: {}; every image is verified again", file, e.getMessage());
            return out;
        }
        if (root == null || root.path("version").asInt() != 1 || !root.path("entries").isArray()) {
            LOG.warn("{} is not a file of verified digests (version 1); every image is verified again", file);
            return out;
        }
        int skipped = 0;
        for (JsonNode n : root.path("entries")) {
            try {
                String image = n.path("image").asText("");
                ImageRef.parse(image);
                out.add(new Entry(image, n.path("digest").asText(""), n.path("rule").asText(""),
                        n.path("fingerprint").asText(""), Instant.parse(n.path("verified_at").asText(""))));
            } catch (RuntimeException e) {
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warn("Skipped {} invalid entries of {}", skipped, file);
        }
        return out.size() > MAX_ENTRIES ? new ArrayList<>(out.subList(out.size() - MAX_ENTRIES, out.size())) : out;
    }
}

package io.gantry.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ContainerId;
import io.gantry.core.file.BoundedFiles;
import io.gantry.ditto.feature.FeatureIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container features published for a thing, remembered under the state directory so that features of
 * containers removed while Gantry was not watching can be deleted at the next registration
 * (reference/kanto-things.md §4.3). Kanto's file name and format are kept:
 * {@code sup_back_<thingId with ':' as '_'>.json} holding {@code {"<id>":"Container:<id>"}}, or {@code null} for
 * none; a file under Kanto's older name (only the first {@code :} replaced) is renamed on reading.
 *
 * <p>A missing, empty or unreadable file means nothing is stored; an unwritable one is logged. Neither stops the twin.
 */
final class FeatureStateFile {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureStateFile.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** About 90 bytes per container: far more than any engine holds; a larger file is damaged, not read. */
    private static final int MAX_BYTES = 8 << 20;

    private final Path directory;

    FeatureStateFile(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    Path path(String thingId) {
        return directory.resolve("sup_back_" + thingId.replace(':', '_') + ".json");
    }

    private Path legacyPath(String thingId) {
        return directory.resolve("sup_back_" + thingId.replaceFirst(":", "_") + ".json");
    }

    Set<ContainerId> read(String thingId) {
        Path file = path(thingId);
        Path legacy = legacyPath(thingId);
        Set<ContainerId> ids = new LinkedHashSet<>();
        try {
            if (!Files.exists(file) && !legacy.equals(file) && Files.exists(legacy)) {
                Files.move(legacy, file, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(file)) {
                return ids;
            }
            byte[] content = BoundedFiles.read(file, MAX_BYTES);
            if (content.length == 0) {
                return ids;
            }
            JsonNode root = MAPPER.readTree(content);
            if (root != null && root.isObject()) {
                root.fieldNames().forEachRemaining(id -> {
                    try {
                        ids.add(ContainerId.of(id));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("Ignored entry \"{}\" of {}: not a container id", id, file);
                    }
                });
            }
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}; stale container features cannot be cleaned up", file, e.getMessage());
        }
        return ids;
    }

    void write(String thingId, Collection<ContainerId> ids) {
        Path file = path(thingId);
        try {
            Files.createDirectories(directory);
            JsonNode content;
            if (ids.isEmpty()) {
                content = MAPPER.nullNode();
            } else {
                ObjectNode map = MAPPER.createObjectNode();
                ids.forEach(id -> map.put(id.value(), FeatureIds.container(id)));
                content = map;
            }
            Path temporary = Files.createTempFile(directory, "sup_back_", ".tmp");
            try {
                Files.write(temporary, MAPPER.writeValueAsBytes(content));
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            LOG.warn("Cannot write {}: {}", file, e.getMessage());
        }
    }
}

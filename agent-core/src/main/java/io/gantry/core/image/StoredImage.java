package io.gantry.core.image;

import java.util.List;
import java.util.Objects;

/**
 * One image of the engine: its id ({@code sha256:…}), its tags ({@code repo:tag}, none when dangling), its size, and
 * whether Gantry pulled it (housekeeping removes no other).
 */
public record StoredImage(String id, List<String> tags, long sizeBytes, boolean pulledByGantry) {

    public StoredImage {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an image needs an id");
        }
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size of " + id + ": " + sizeBytes);
        }
    }
}

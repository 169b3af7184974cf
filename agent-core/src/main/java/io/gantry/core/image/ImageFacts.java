package io.gantry.core.image;

import java.util.List;
import java.util.Objects;

/**
 * What the engine knows of one local image that identifies its content: its id ({@code sha256:…}, the digest of its
 * configuration) and its repository digests ({@code repo@sha256:…}, the manifest digests of the registries it was
 * pulled from or pushed to; none for an image that was built or loaded locally).
 */
public record ImageFacts(String id, List<String> repoDigests) {

    public ImageFacts {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an image needs an id");
        }
        repoDigests = List.copyOf(Objects.requireNonNull(repoDigests, "repoDigests"));
    }

    /** The manifest digests of {@link #repoDigests}, without their repositories. */
    public List<String> manifestDigests() {
        return repoDigests.stream().filter(r -> r.indexOf('@') > 0).map(r -> r.substring(r.indexOf('@') + 1))
                .distinct().toList();
    }
}

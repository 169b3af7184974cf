package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.image.DiskSpace;
import io.gantry.core.image.ImageStore;
import io.gantry.core.image.PulledImages;
import io.gantry.core.image.StoredImage;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker engine's images and data root, and the two guards around each pull: the free-space check before it and
 * the note that Gantry pulled the image after it ({@link PulledImages}, which this class owns for its engine).
 */
final class DockerImageStore implements ImageStore {

    private static final Logger LOG = LoggerFactory.getLogger(DockerImageStore.class);
    private static final String NONE_TAG = "<none>:<none>";

    private final DockerApi api;
    private final DockerCalls calls;
    private final Supplier<AgentConfig> config;
    private final PulledImages pulled;

    DockerImageStore(DockerApi api, DockerCalls calls, Supplier<AgentConfig> config) {
        this.api = api;
        this.calls = calls;
        this.config = config;
        this.pulled = new PulledImages(config.get().stateDir());
    }

    @Override
    public List<StoredImage> images() {
        Set<String> ours = pulledIds();
        return calls.run("list images", null, () -> {
            List<StoredImage> out = new ArrayList<>();
            for (JsonNode image : api.get("/images/json")) {
                List<String> tags = new ArrayList<>();
                image.path("RepoTags").forEach(t -> {
                    if (!t.asText().equals(NONE_TAG)) {
                        tags.add(t.asText());
                    }
                });
                String id = image.path("Id").asText();
                out.add(new StoredImage(id, tags, Math.max(0, image.path("Size").asLong()), ours.contains(id)));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public boolean remove(String imageId) {
        boolean removed = calls.run("remove image " + imageId, null, () -> {
            try {
                api.delete("/images/" + DockerApi.encode(imageId));
                return true;
            } catch (ConflictException | NotFoundException e) {
                LOG.debug("The engine keeps image {}: {}", imageId, e.getMessage());
                return false;
            }
        });
        if (removed) {
            try {
                pulled.forget(imageId);
            } catch (UncheckedIOException e) {
                LOG.warn("Image {} removed, but {}", imageId, e.getMessage());
            }
        }
        return removed;
    }

    @Override
    public Optional<DiskSpace> dataRoot() {
        if (!calls.url().startsWith("unix://")) {
            return Optional.empty(); // a remote engine's disk is not this host's
        }
        String root = calls.run("info", null, () -> api.get("/info").path("DockerRootDir").asText(""));
        return root.isEmpty() ? Optional.empty() : DiskSpace.of(Path.of(root));
    }

    /**
     * Refuses a pull while the data root has less than {@code engine.min_free_space} free, so that the engine does
     * not fail halfway with a full disk.
     */
    void checkSpaceFor(ImageRef image) {
        long needed = config.get().engine().minFreeSpace().bytes();
        if (needed == 0) {
            return;
        }
        Optional<DiskSpace> space = dataRoot();
        if (space.isEmpty()) {
            LOG.debug("The engine's data root is not visible here; pulling {} without a free-space check", image);
            return;
        }
        DiskSpace disk = space.get();
        if (disk.freeBytes() < needed) {
            throw new ImagePullException(ImagePullException.Reason.NO_SPACE, "cannot pull " + image + ": "
                    + DiskSpace.format(disk.freeBytes()) + " free on " + disk.path()
                    + " (the engine's data root), engine.min_free_space needs " + DiskSpace.format(needed), null);
        }
    }

    /** Notes that Gantry pulled {@code image}; a state directory it cannot write only costs the later clean-up. */
    void notePulled(ImageRef image) {
        String reference = image.isImageId() ? image.digest().orElseThrow() : image.canonical();
        try {
            String id = calls.run("inspect image " + image, null,
                    () -> api.get("/images/" + reference + "/json").path("Id").asText(""));
            pulled.add(id);
        } catch (RuntimeException e) {
            LOG.warn("Pulled {}, but could not note it for housekeeping: {}", image, e.getMessage());
        }
    }

    private Set<String> pulledIds() {
        try {
            return pulled.read();
        } catch (UncheckedIOException e) {
            LOG.warn("{}; no image counts as Gantry's", e.getMessage());
            return Set.of();
        }
    }
}

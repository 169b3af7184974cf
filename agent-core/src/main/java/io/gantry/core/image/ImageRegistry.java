package io.gantry.core.image;

import io.gantry.core.container.ImageRef;
import java.util.Optional;

/**
 * The image registries, read directly (not through the engine): what a tag names now, and the manifests and blobs
 * of cosign's signatures. Credentials and TLS settings are those of the configuration's {@code registries} section,
 * the same the engine's pulls use.
 *
 * <p>Contract: every method blocks for at most the configured bounds (a connection and a read timeout per request,
 * and the pull retries with back-off for transient failures), and is thread-safe. Failures are
 * {@link io.gantry.core.container.ImagePullException}s with the reason a pull would have: {@code NOT_FOUND},
 * {@code UNAUTHORIZED}, {@code NETWORK} (down or slow, after the retries) or {@code FAILED} (an answer that is not
 * what the distribution specification says, named in the message).
 */
public interface ImageRegistry {

    /** No registry can be reached: every call fails as a registry that is down does. */
    ImageRegistry UNREACHABLE = new ImageRegistry() {
        private io.gantry.core.container.ImagePullException down() {
            return new io.gantry.core.container.ImagePullException(
                    io.gantry.core.container.ImagePullException.Reason.NETWORK, "no registry client", null);
        }

        @Override
        public String resolve(ImageRef image) {
            throw down();
        }

        @Override
        public Optional<byte[]> manifest(ImageRef image, String reference) {
            throw down();
        }

        @Override
        public byte[] blob(ImageRef image, String digest) {
            throw down();
        }
    };

    /**
     * The manifest digest ({@code sha256:…}) that {@code image}'s tag names now. For a multi-platform index it is the
     * digest of the manifest for this machine's platform (the one Docker pulls), not the index's.
     */
    String resolve(ImageRef image);

    /** The raw manifest {@code reference} (a tag or digest) names in {@code image}'s repository; empty when unknown. */
    Optional<byte[]> manifest(ImageRef image, String reference);

    /**
     * The blob {@code digest} of {@code image}'s repository, checked against that digest.
     *
     * @throws io.gantry.core.container.ImagePullException {@code NOT_FOUND} when the registry has no such blob,
     *         {@code FAILED} when what it sent does not match the digest, {@code NETWORK} when it does not answer
     */
    byte[] blob(ImageRef image, String digest);
}

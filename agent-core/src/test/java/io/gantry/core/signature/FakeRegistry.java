package io.gantry.core.signature;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.image.ImageRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory registry for unit tests: tags naming digests, cosign signature manifests with their payload blobs, and
 * a switch that makes it unreachable. It counts the calls that reach it.
 */
public final class FakeRegistry implements ImageRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();
    public final Map<String, String> tags = new ConcurrentHashMap<>();
    public final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    public final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    public final AtomicInteger calls = new AtomicInteger();
    public volatile boolean down;

    /** Stores the signature manifest of {@code digest}: one layer of {@code payload} per annotation map. */
    @SafeVarargs
    public final void sign(String digest, byte[] payload, Map<String, String>... layers) {
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2);
        String blob = "sha256:" + HexFormat.of().formatHex(SigningAnchor.sha256().digest(payload));
        blobs.put(blob, payload);
        for (Map<String, String> annotations : layers) {
            ObjectNode layer = manifest.withArray("layers").addObject()
                    .put("mediaType", "application/vnd.dev.cosign.simplesigning.v1+json")
                    .put("digest", blob).put("size", payload.length);
            annotations.forEach(layer.putObject("annotations")::put);
        }
        manifests.put(CosignVerifier.signatureTag(digest), manifest.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void reach() {
        calls.incrementAndGet();
        if (down) {
            throw new ImagePullException(ImagePullException.Reason.NETWORK, "registry down", null);
        }
    }

    @Override
    public String resolve(ImageRef image) {
        reach();
        String digest = tags.get(image.canonical());
        if (digest == null) {
            throw new ImagePullException(ImagePullException.Reason.NOT_FOUND, "manifest unknown", null);
        }
        return digest;
    }

    @Override
    public Optional<byte[]> manifest(ImageRef image, String reference) {
        reach();
        return Optional.ofNullable(manifests.get(reference));
    }

    @Override
    public byte[] blob(ImageRef image, String digest) {
        reach();
        byte[] blob = blobs.get(digest);
        if (blob == null) {
            throw new ImagePullException(ImagePullException.Reason.NOT_FOUND, "blob unknown to registry", null);
        }
        return blob;
    }
}

package io.gantry.core.policy;

import io.gantry.config.SignatureRule;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.image.ImageFacts;
import io.gantry.core.image.ImageRegistry;
import io.gantry.core.signature.CosignVerifier;
import io.gantry.core.signature.SigningAnchor;
import io.gantry.core.signature.VerifiedDigests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code trust} section's judgement of one image, by the digest that will run: a tag is resolved against its
 * registry, the digest is checked against the allowlist and, when a signature rule matches the repository, its cosign
 * signature is verified; the answer names the reference to pull and create from ({@code repo@sha256:…}, or the local
 * image id of an image the registry does not know), so that what runs is what was checked. Resolutions are remembered
 * in {@link VerifiedDigests}, which serve when the registry cannot be reached (docs/trust.md).
 *
 * <p>Contract: {@link #judge} blocks on the registry (bounded by {@link ImageRegistry}'s contract) and the local image
 * lookup. A refusal is returned; a registry failure that nothing remembered can stand in for propagates as the
 * {@link ImagePullException} a pull would have thrown. Thread-safe.
 */
public final class ImageVerification {

    private static final Logger LOG = LoggerFactory.getLogger(ImageVerification.class);
    static final String ALLOWLIST = "trust.allowlist";

    private final ImageRegistry registry;
    private final CosignVerifier verifier;
    private final VerifiedDigests memory;
    private final Function<ImageRef, Optional<ImageFacts>> images;

    public ImageVerification(ImageRegistry registry, VerifiedDigests memory,
                             Function<ImageRef, Optional<ImageFacts>> images) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.verifier = new CosignVerifier(registry);
        this.memory = Objects.requireNonNull(memory, "memory");
        this.images = Objects.requireNonNull(images, "images");
    }

    /** What the trust rules say of an image: refused, or allowed from {@code pin} (empty: from the image as named). */
    public record Verdict(Optional<ImageRef> pin, Optional<ContainerRefusedException> refusal) {
        public Verdict {
            Objects.requireNonNull(pin, "pin");
            Objects.requireNonNull(refusal, "refusal");
        }

        static Verdict allowed(Optional<ImageRef> pin) {
            return new Verdict(pin, Optional.empty());
        }

        static Verdict refused(ContainerRefusedException e) {
            return new Verdict(Optional.empty(), Optional.of(e));
        }
    }

    /** Judges {@code image} under {@code trust}; with neither enforcement nor a matching signature rule, allows it. */
    public Verdict judge(TrustConfig trust, ImageRef image) {
        Optional<Map.Entry<String, SignatureRule>> rule = image.isImageId() ? Optional.empty()
                : trust.signatureRule(image.name());
        if (!trust.enforce() && rule.isEmpty()) {
            return Verdict.allowed(Optional.empty());
        }
        Optional<SigningAnchor> anchor;
        try {
            anchor = rule.map(r -> SigningAnchor.load(rulePath(r.getKey()), r.getValue()));
        } catch (IllegalArgumentException e) {
            return Verdict.refused(new ContainerRefusedException(rulePath(rule.get().getKey()), image.text(),
                    Optional.empty(), "its trust anchor cannot be read: " + e.getMessage()));
        }
        if (image.digest().isPresent()) {
            // Pinned (repo@sha256:…) or an image id: the engine can only run that very content.
            return judgeDigest(trust, image, image.digest().get(), anchor, Optional.empty());
        }
        if (anchor.isEmpty()) {
            // The allowlist alone: a tag present locally is what the engine would run (Gantry pulls only what is
            // missing), so its content is judged and run by the reference that names it exactly; no registry asked.
            Optional<ImageFacts> local = images.apply(image);
            if (local.isPresent()) {
                return localContent(trust, image, local.get());
            }
        }
        String fingerprint = anchor.map(SigningAnchor::fingerprint).orElse("");
        String digest;
        try {
            digest = registry.resolve(image);
        } catch (ImagePullException e) {
            return offline(trust, image, anchor, e);
        }
        return remembered(image, judgeDigest(trust, image, digest, anchor, Optional.of(pinned(image, digest))),
                digest, anchor.map(SigningAnchor::rule).orElse(ALLOWLIST), fingerprint);
    }

    /**
     * The registry cannot say what the tag names: the digest remembered for it, else a local image whose content
     * is allowed (a remembered verified digest, or for the allowlist its digests or id), else the registry's failure.
     */
    private Verdict offline(TrustConfig trust, ImageRef image, Optional<SigningAnchor> anchor, ImagePullException e) {
        String fingerprint = anchor.map(SigningAnchor::fingerprint).orElse("");
        Optional<VerifiedDigests.Entry> known = memory.forImage(image, fingerprint);
        if (known.isPresent()) {
            LOG.warn("Cannot resolve {} ({}); using the digest {} verified at {}", image, e.getMessage(),
                    known.get().digest(), known.get().verifiedAt());
            return judgeDigest(trust, image, known.get().digest(), anchor,
                    Optional.of(pinned(image, known.get().digest())));
        }
        Optional<ImageFacts> local = images.apply(image);
        if (local.isPresent()) {
            List<String> digests = new ArrayList<>(local.get().manifestDigests());
            if (anchor.isPresent()) {
                Optional<String> verified = digests.stream()
                        .filter(d -> memory.verified(image, d, fingerprint)).findFirst();
                if (verified.isPresent()) {
                    return Verdict.allowed(Optional.of(pinned(image, verified.get())));
                }
            } else {
                return localContent(trust, image, local.get());
            }
        }
        if (e.reason() == ImagePullException.Reason.NOT_FOUND) {
            String rule = anchor.map(SigningAnchor::rule).orElse(ALLOWLIST);
            return Verdict.refused(new ContainerRefusedException(rule, image.text(), Optional.empty(),
                    "the registry does not know the image (" + e.getMessage() + ")"
                            + (local.isPresent() ? " and no verified digest of the local image is remembered" : "")));
        }
        throw e;
    }

    /**
     * A local image under the allowlist: allowed by a repository digest or its id, and then run by the reference
     * that names that content exactly (the matching {@code repo@sha256:…}, or the id).
     */
    private static Verdict localContent(TrustConfig trust, ImageRef image, ImageFacts local) {
        Set<String> allowed = trust.digests();
        Optional<ImageRef> pin = local.repoDigests().stream()
                .filter(r -> r.indexOf('@') > 0 && allowed.contains(r.substring(r.indexOf('@') + 1)))
                .findFirst().map(ImageRef::parse)
                .or(() -> Optional.of(local.id()).filter(allowed::contains).map(ImageRef::parse));
        if (pin.isPresent()) {
            return Verdict.allowed(pin);
        }
        List<String> digests = new ArrayList<>(local.manifestDigests());
        digests.add(local.id());
        return Verdict.refused(new ContainerRefusedException(ALLOWLIST, image.text(), Optional.of(digests.get(0)),
                "the digest is not in the allowlist"));
    }

    private Verdict judgeDigest(TrustConfig trust, ImageRef image, String digest, Optional<SigningAnchor> anchor,
                                Optional<ImageRef> pin) {
        if (anchor.isPresent()) {
            SigningAnchor a = anchor.get();
            if (!memory.verified(image, digest, a.fingerprint())) {
                Optional<String> why = verifier.problem(image, digest, a);
                if (why.isPresent()) {
                    return Verdict.refused(new ContainerRefusedException(a.rule(), image.text(), Optional.of(digest),
                            why.get()));
                }
                if (image.digest().isPresent()) {
                    memory.remember(image, digest, a.rule(), a.fingerprint());
                }
            }
            return Verdict.allowed(pin);
        }
        if (trust.enforce() && !trust.digests().contains(digest)) {
            return Verdict.refused(new ContainerRefusedException(ALLOWLIST, image.text(), Optional.of(digest),
                    "the digest is not in the allowlist"));
        }
        return Verdict.allowed(pin);
    }

    private Verdict remembered(ImageRef image, Verdict verdict, String digest, String rule, String fingerprint) {
        if (verdict.refusal().isEmpty()) {
            memory.remember(image, digest, rule, fingerprint);
        }
        return verdict;
    }

    /** The reference that names exactly {@code digest} of {@code image}'s repository. */
    static ImageRef pinned(ImageRef image, String digest) {
        return ImageRef.parse(image.name() + "@" + digest);
    }

    static String rulePath(String pattern) {
        return "trust.signatures[\"" + pattern + "\"]";
    }
}

package io.gantry.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.image.ImageRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Verifies cosign signatures of an image digest, in cosign's registry layout: the manifest tagged
 * {@code sha256-<hex>.sig} in the image's repository, whose layers are simple-signing payloads, each signed in its
 * {@value #SIGNATURE} annotation (base64), optionally with the signing certificate and chain and the transparency
 * log's bundle in further annotations. The image is verified when one layer passes every check.
 *
 * <p>Contract: {@link #problem} reads the registry (so it blocks and fails as {@link ImageRegistry} does) and returns
 * why the digest is not verified, empty when it is. The checks use the Java runtime's {@link Signature},
 * {@link CertPathValidator} and a canonical JSON form; nothing is fetched from a transparency log. Thread-safe.
 */
public final class CosignVerifier {

    public static final String SIGNATURE = "dev.cosignproject.cosign/signature";
    public static final String CERTIFICATE = "dev.sigstore.cosign/certificate";
    public static final String CHAIN = "dev.sigstore.cosign/chain";
    public static final String BUNDLE = "dev.sigstore.cosign/bundle";
    /** The {@code critical.type} of cosign's simple-signing payload. */
    public static final String PAYLOAD_TYPE = "cosign container image signature";

    /** Bounds on what a registry may make Gantry read for one image: cosign payloads are a few hundred bytes. */
    static final int MAX_LAYERS = 16;
    static final long MAX_PAYLOAD_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final ImageRegistry registry;

    public CosignVerifier(ImageRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The tag cosign stores the signatures of {@code digest} under. */
    public static String signatureTag(String digest) {
        return digest.replace(':', '-') + ".sig";
    }

    /** Why {@code digest} of {@code image}'s repository is not signed as {@code anchor} requires; empty when it is. */
    public Optional<String> problem(ImageRef image, String digest, SigningAnchor anchor) {
        String tag = signatureTag(digest);
        Optional<byte[]> manifest = registry.manifest(image, tag);
        if (manifest.isEmpty()) {
            return Optional.of("the image is not signed (its repository has no " + tag + ")");
        }
        JsonNode layers;
        try {
            layers = JSON.readTree(manifest.get()).path("layers");
        } catch (IOException e) {
            return Optional.of("the signature manifest " + tag + " is not JSON");
        }
        if (!layers.isArray() || layers.isEmpty()) {
            return Optional.of("the signature manifest " + tag + " has no layers");
        }
        if (layers.size() > MAX_LAYERS) {
            return Optional.of("the signature manifest " + tag + " has " + layers.size() + " layers, more than the "
                    + MAX_LAYERS + " Gantry reads");
        }
        String first = null;
        for (JsonNode layer : layers) {
            Optional<String> why = layerProblem(image, digest, anchor, layer);
            if (why.isEmpty()) {
                return why;
            }
            first = first == null ? why.get() : first;
        }
        return Optional.of(first);
    }

    private Optional<String> layerProblem(ImageRef image, String digest, SigningAnchor anchor, JsonNode layer) {
        Map<String, String> annotations = new TreeMap<>();
        layer.path("annotations").fields().forEachRemaining(f -> annotations.put(f.getKey(), f.getValue().asText()));
        String blob = layer.path("digest").asText("");
        if (!blob.matches("sha256:[0-9a-f]{64}")) {
            return Optional.of("a signature layer has no sha256 digest");
        }
        long size = layer.path("size").asLong(-1);
        if (size < 0 || size > MAX_PAYLOAD_BYTES) {
            return Optional.of("signature layer " + blob + " has " + (size < 0 ? "no size" : size + " bytes, more than "
                    + MAX_PAYLOAD_BYTES));
        }
        byte[] payload;
        try {
            payload = registry.blob(image, blob);
        } catch (ImagePullException e) {
            // A missing or corrupt layer is this layer's problem (another may pass); no answer at all is not.
            if (e.reason() != ImagePullException.Reason.NOT_FOUND && e.reason() != ImagePullException.Reason.FAILED) {
                throw e;
            }
            return Optional.of("signature layer " + blob + ": " + e.getMessage());
        }
        return check(image, digest, anchor, payload, annotations);
    }

    /**
     * Checks one signature layer: its payload and annotations. Package-private for the tests of every failure.
     */
    static Optional<String> check(ImageRef image, String digest, SigningAnchor anchor, byte[] payload,
                                  Map<String, String> annotations) {
        String encoded = annotations.get(SIGNATURE);
        if (encoded == null) {
            return Optional.of("the signature layer has no " + SIGNATURE + " annotation");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            return Optional.of("the signature annotation is not base64");
        }
        Optional<Instant> logged = Optional.empty();
        if (anchor.tlogKey().isPresent()) {
            Result<Instant> entry = logEntry(anchor.tlogKey().get(), annotations.get(BUNDLE), payload, encoded.strip());
            if (entry.problem != null) {
                return Optional.of(entry.problem);
            }
            logged = Optional.of(entry.value);
        }
        Result<PublicKey> key = anchor.key().isPresent() ? new Result<>(anchor.key().get(), null)
                : certifiedKey(anchor, annotations, logged.orElseGet(Instant::now));
        if (key.problem != null) {
            return Optional.of(key.problem);
        }
        if (!verifies(key.value, payload, signature)) {
            return Optional.of("the signature does not verify against " + anchor.rule()
                    + (anchor.key().isPresent() ? ".key" : "'s certificate")
                    + " (signed with another key, or the payload was changed)");
        }
        return payloadProblem(image, digest, payload);
    }

    /** The simple-signing payload must be cosign's and name this digest and repository. */
    private static Optional<String> payloadProblem(ImageRef image, String digest, byte[] payload) {
        JsonNode critical;
        try {
            critical = JSON.readTree(payload).path("critical");
        } catch (IOException e) {
            return Optional.of("the signed payload is not JSON");
        }
        if (!PAYLOAD_TYPE.equals(critical.path("type").asText())) {
            return Optional.of("the signed payload is not a cosign image signature (critical.type is \""
                    + critical.path("type").asText() + "\")");
        }
        String named = critical.path("image").path("docker-manifest-digest").asText("");
        if (!named.equals(digest)) {
            return Optional.of("the signed payload names digest " + (named.isEmpty() ? "(none)" : named)
                    + ", not this image's");
        }
        String identity = critical.path("identity").path("docker-reference").asText("");
        if (!sameRepository(identity, image)) {
            return Optional.of("the signed payload is for repository \"" + identity + "\", not " + image.name());
        }
        return Optional.empty();
    }

    private static boolean sameRepository(String identity, ImageRef image) {
        try {
            return ImageRef.parse(identity).name().equals(image.name());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The signing certificate's key, once the certificate chains to the rule's authority at {@code when}. */
    private static Result<PublicKey> certifiedKey(SigningAnchor anchor, Map<String, String> annotations, Instant when) {
        String leafPem = annotations.get(CERTIFICATE);
        if (leafPem == null || leafPem.isBlank()) {
            return new Result<>(null, "the signature carries no certificate (" + CERTIFICATE + "), and "
                    + anchor.rule() + " trusts a certificate authority");
        }
        try {
            List<X509Certificate> path = new ArrayList<>(SigningAnchor.certificates(CERTIFICATE, "the annotation",
                    leafPem.getBytes(StandardCharsets.US_ASCII)).subList(0, 1));
            String chain = annotations.getOrDefault(CHAIN, "");
            List<X509Certificate> intermediates = new ArrayList<>(anchor.certificates());
            if (!chain.isBlank()) {
                intermediates.addAll(SigningAnchor.certificates(CHAIN, "the annotation",
                        chain.getBytes(StandardCharsets.US_ASCII)));
            }
            Set<TrustAnchor> roots = anchor.certificates().stream().filter(CosignVerifier::selfIssued)
                    .map(c -> new TrustAnchor(c, null)).collect(Collectors.toSet());
            if (roots.isEmpty()) {
                // The rule names an intermediate authority only: trust it as the anchor.
                roots = Set.of(new TrustAnchor(anchor.certificates().get(anchor.certificates().size() - 1), null));
            }
            for (X509Certificate c : intermediates) {
                if (!selfIssued(c) && !path.contains(c) && issues(c, path.get(path.size() - 1))) {
                    path.add(c);
                }
            }
            PKIXParameters parameters = new PKIXParameters(roots);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(when));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return new Result<>(path.get(0).getPublicKey(), null);
        } catch (IllegalArgumentException e) {
            return new Result<>(null, "the signature's certificate cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return new Result<>(null, "the signature's certificate does not chain to " + anchor.rule()
                    + ".certificate: " + e.getMessage());
        }
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    private static boolean issues(X509Certificate issuer, X509Certificate subject) {
        return issuer.getSubjectX500Principal().equals(subject.getIssuerX500Principal());
    }

    /**
     * Verifies cosign's bundle offline: the log's signed entry timestamp over the canonical JSON of the entry, and
     * that the entry (a {@code hashedrekord}) is of this payload and signature. The value is the entry's time.
     */
    private static Result<Instant> logEntry(PublicKey logKey, String bundle, byte[] payload, String signature) {
        if (bundle == null || bundle.isBlank()) {
            return new Result<>(null, "the signature has no transparency-log bundle (" + BUNDLE + ")");
        }
        try {
            JsonNode root = JSON.readTree(bundle);
            JsonNode entry = root.path("Payload");
            byte[] set = Base64.getDecoder().decode(root.path("SignedEntryTimestamp").asText(""));
            if (!entry.isObject() || set.length == 0) {
                return new Result<>(null, "the transparency-log bundle has no Payload or SignedEntryTimestamp");
            }
            byte[] canonical = CANONICAL.writeValueAsBytes(JSON.convertValue(entry, TreeMap.class));
            if (!verifies(logKey, canonical, set)) {
                return new Result<>(null, "the transparency log's signed entry timestamp does not verify against"
                        + " the log's key");
            }
            JsonNode body = JSON.readTree(Base64.getDecoder().decode(entry.path("body").asText("")));
            JsonNode spec = body.path("spec");
            String hash = spec.path("data").path("hash").path("value").asText("");
            String hex = HexFormat.of().formatHex(SigningAnchor.sha256().digest(payload));
            if (!hash.equalsIgnoreCase(hex) || !spec.path("signature").path("content").asText("").equals(signature)) {
                return new Result<>(null, "the transparency-log entry is of another payload or signature");
            }
            return new Result<>(Instant.ofEpochSecond(entry.path("integratedTime").asLong()), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Result<>(null, "the transparency-log bundle cannot be read: " + e.getMessage());
        }
    }

    /** Cosign's signature schemes: ECDSA and RSA (PKCS#1 v1.5) over SHA-256, Ed25519 over the message itself. */
    static boolean verifies(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(signatureAlgorithm(key.getAlgorithm()));
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a signature that is not even well-formed for this key does not verify
        }
    }

    /** The JDK's name of cosign's signature scheme for a key of {@code keyAlgorithm} ({@code EC}, {@code RSA}, …). */
    public static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> "Ed25519";
        };
    }

    /** A value or why there is none. */
    private record Result<T>(T value, String problem) {
    }
}

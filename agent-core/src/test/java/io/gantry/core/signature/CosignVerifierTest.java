package io.gantry.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.SignatureRule;
import io.gantry.core.container.ImageRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosignVerifierTest {

    private static final String DIGEST = "sha256:" + "1".repeat(64);
    private static final String OTHER = "sha256:" + "2".repeat(64);
    private static final ImageRef IMAGE = ImageRef.parse("reg.example:5000/apps/web:1");
    private static final String RULE = "trust.signatures[\"reg.example:5000/apps/*\"]";
    private static final KeyPair SIGNER = CosignSigning.ecdsa();
    private static final KeyPair LOG = CosignSigning.ecdsa();

    private final FakeRegistry registry = new FakeRegistry();
    private final CosignVerifier verifier = new CosignVerifier(registry);

    private static SigningAnchor keyAnchor(KeyPair key) {
        return new SigningAnchor(RULE, Optional.of(key.getPublic()), List.of(), Optional.empty(), "f");
    }

    private static SigningAnchor withLog(SigningAnchor a) {
        return new SigningAnchor(a.rule(), a.key(), a.certificates(), Optional.of(LOG.getPublic()), "f");
    }

    private Optional<String> verify(SigningAnchor anchor) {
        return verifier.problem(IMAGE, DIGEST, anchor);
    }

    @Test
    void validSignatures_ofEveryKeyKind_verify() {
        for (KeyPair key : List.of(CosignSigning.ecdsa(), CosignSigning.rsa(), CosignSigning.ed25519())) {
            byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
            registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(key.getPrivate(), payload)));
            assertThat(verify(keyAnchor(key))).as(key.getPublic().getAlgorithm()).isEmpty();
        }
    }

    @Test
    void oneValidLayer_amongBadOnes_verifies() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, "!!"),
                Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), payload)));
        assertThat(verify(keyAnchor(SIGNER))).isEmpty();
    }

    @Test
    void unsigned_isRefused_namingTheSignatureTag() {
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the image is not signed (its repository has no sha256-"
                + "1".repeat(64) + ".sig)");
    }

    @Test
    void wrongKey_isRefused() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE,
                CosignSigning.sign(CosignSigning.ecdsa().getPrivate(), payload)));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature does not verify against " + RULE
                + ".key (signed with another key, or the payload was changed)");
    }

    @Test
    void tamperedPayload_isRefused() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        String signature = CosignSigning.sign(SIGNER.getPrivate(), payload);
        byte[] tampered = new String(payload, StandardCharsets.UTF_8).replace("\"optional\":null",
                "\"optional\":{\"x\":1}").getBytes(StandardCharsets.UTF_8);
        registry.sign(DIGEST, tampered, Map.of(CosignVerifier.SIGNATURE, signature));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature does not verify against " + RULE
                + ".key (signed with another key, or the payload was changed)");
    }

    @Test
    void payloadNamingAnotherDigest_isRefused() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", OTHER);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), payload)));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signed payload names digest " + OTHER
                + ", not this image's");
    }

    @Test
    void payloadOfAnotherRepository_orNotCosigns_isRefused() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/other", DIGEST);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), payload)));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signed payload is for repository"
                + " \"reg.example:5000/apps/other\", not reg.example:5000/apps/web");
        byte[] notCosign = "{\"critical\":{\"type\":\"atomic container signature\"}}".getBytes(StandardCharsets.UTF_8);
        registry.sign(DIGEST, notCosign, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), notCosign)));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signed payload is not a cosign image signature"
                + " (critical.type is \"atomic container signature\")");
    }

    @Test
    void brokenBase64_orNoSignature_isRefused() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, "MEUCIQ*not base64*"));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature annotation is not base64");
        registry.sign(DIGEST, payload, Map.of());
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature layer has no " + CosignVerifier.SIGNATURE
                + " annotation");
    }

    @Test
    void garbageManifest_isRefused() {
        registry.manifests.put(CosignVerifier.signatureTag(DIGEST), "<html>".getBytes(StandardCharsets.UTF_8));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature manifest sha256-" + "1".repeat(64)
                + ".sig is not JSON");
        registry.manifests.put(CosignVerifier.signatureTag(DIGEST), "{\"layers\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature manifest sha256-" + "1".repeat(64)
                + ".sig has no layers");
    }

    @Test
    void aMissingLayerBlob_isThatLayersProblem_andALaterValidLayerStillPasses() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        String signature = CosignSigning.sign(SIGNER.getPrivate(), payload);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature));
        String valid = new String(registry.manifests.get(CosignVerifier.signatureTag(DIGEST)), StandardCharsets.UTF_8);
        String gone = "sha256:" + "9".repeat(64);
        String missingFirst = valid.replace("\"layers\":[", "\"layers\":[{\"digest\":\"" + gone
                + "\",\"size\":10,\"annotations\":{\"" + CosignVerifier.SIGNATURE + "\":\"" + signature + "\"}},");
        registry.manifests.put(CosignVerifier.signatureTag(DIGEST), missingFirst.getBytes(StandardCharsets.UTF_8));
        assertThat(verify(keyAnchor(SIGNER))).isEmpty();

        String onlyMissing = valid.replaceAll("sha256:[0-9a-f]{64}", gone);
        registry.manifests.put(CosignVerifier.signatureTag(DIGEST), onlyMissing.getBytes(StandardCharsets.UTF_8));
        assertThat(verify(keyAnchor(SIGNER))).hasValue("signature layer " + gone + ": blob unknown to registry");
    }

    @Test
    void aRegistryThatOffersHugeOrManyLayers_isRefusedWithoutReadingThem() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), payload)));
        String valid = new String(registry.manifests.get(CosignVerifier.signatureTag(DIGEST)), StandardCharsets.UTF_8);
        String huge = valid.replaceAll("\"size\":\\d+", "\"size\":5000000000");
        registry.manifests.put(CosignVerifier.signatureTag(DIGEST), huge.getBytes(StandardCharsets.UTF_8));
        int calls = registry.calls.get();
        assertThat(verify(keyAnchor(SIGNER))).get().asString().endsWith("has 5000000000 bytes, more than 65536");
        assertThat(registry.calls.get()).as("the manifest only, no blob").isEqualTo(calls + 1);

        Map<String, String>[] many = new Map[CosignVerifier.MAX_LAYERS + 1];
        java.util.Arrays.fill(many, Map.of(CosignVerifier.SIGNATURE, "x"));
        registry.sign(DIGEST, payload, many);
        assertThat(verify(keyAnchor(SIGNER))).hasValue("the signature manifest sha256-" + "1".repeat(64) + ".sig has "
                + (CosignVerifier.MAX_LAYERS + 1) + " layers, more than the 16 Gantry reads");
    }

    @Test
    void bundle_verifiesOffline_andABadEntryTimestampOrAMissingBundleIsRefused() {
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        String signature = CosignSigning.sign(SIGNER.getPrivate(), payload);
        String pem = CosignSigning.pem(SIGNER.getPublic());
        String good = CosignSigning.bundle(LOG.getPrivate(), payload, signature, pem, 1_700_000_000L);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature, CosignVerifier.BUNDLE, good));
        assertThat(verify(withLog(keyAnchor(SIGNER)))).isEmpty();

        String badSet = CosignSigning.bundle(CosignSigning.ecdsa().getPrivate(), payload, signature, pem, 1_700_000_000L);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature, CosignVerifier.BUNDLE, badSet));
        assertThat(verify(withLog(keyAnchor(SIGNER)))).hasValue("the transparency log's signed entry timestamp"
                + " does not verify against the log's key");

        String retimed = good.replace("1700000000", "1700000001");
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature, CosignVerifier.BUNDLE, retimed));
        assertThat(verify(withLog(keyAnchor(SIGNER)))).hasValue("the transparency log's signed entry timestamp"
                + " does not verify against the log's key");

        byte[] other = CosignSigning.payload("reg.example:5000/apps/web", OTHER);
        String otherEntry = CosignSigning.bundle(LOG.getPrivate(), other, signature, pem, 1_700_000_000L);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature, CosignVerifier.BUNDLE, otherEntry));
        assertThat(verify(withLog(keyAnchor(SIGNER)))).hasValue("the transparency-log entry is of another payload"
                + " or signature");

        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature));
        assertThat(verify(withLog(keyAnchor(SIGNER)))).hasValue("the signature has no transparency-log bundle ("
                + CosignVerifier.BUNDLE + ")");
        assertThat(verify(keyAnchor(SIGNER))).as("no log required").isEmpty();

        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature, CosignVerifier.BUNDLE, "{garbage"));
        assertThat(verify(withLog(keyAnchor(SIGNER)))).hasValueSatisfying(why ->
                assertThat(why).startsWith("the transparency-log bundle cannot be read: "));
    }

    @Test
    void certificate_chainingToTheRulesAuthority_verifies_andOthersAreRefused(@TempDir Path dir) throws Exception {
        CosignSigning.Pki pki = CosignSigning.Pki.make(dir.resolve("a"));
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, CosignSigning.pem(pki.root()));
        SigningAnchor anchor = SigningAnchor.load(RULE, new SignatureRule("", ca.toString(), ""));
        byte[] payload = CosignSigning.payload("reg.example:5000/apps/web", DIGEST);
        String signature = CosignSigning.sign(pki.leafKey(), payload);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature,
                CosignVerifier.CERTIFICATE, CosignSigning.pem(pki.leaf()), CosignVerifier.CHAIN, CosignSigning.pem(pki.root())));
        assertThat(verify(anchor)).isEmpty();

        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, signature));
        assertThat(verify(anchor)).hasValue("the signature carries no certificate (" + CosignVerifier.CERTIFICATE
                + "), and " + RULE + " trusts a certificate authority");

        CosignSigning.Pki stranger = CosignSigning.Pki.make(dir.resolve("b"));
        String strangerSignature = CosignSigning.sign(stranger.leafKey(), payload);
        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, strangerSignature,
                CosignVerifier.CERTIFICATE, CosignSigning.pem(stranger.leaf())));
        assertThat(verify(anchor)).hasValueSatisfying(why -> assertThat(why).startsWith(
                "the signature's certificate does not chain to " + RULE + ".certificate: "));

        registry.sign(DIGEST, payload, Map.of(CosignVerifier.SIGNATURE, strangerSignature,
                CosignVerifier.CERTIFICATE, CosignSigning.pem(pki.leaf())));
        assertThat(verify(anchor)).hasValue("the signature does not verify against " + RULE
                + "'s certificate (signed with another key, or the payload was changed)");
    }

    @Test
    void anchors_areReadFromPem_andTheirFingerprintFollowsTheFiles(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("cosign.pub");
        Files.writeString(key, CosignSigning.pem(SIGNER.getPublic()));
        SigningAnchor first = SigningAnchor.load(RULE, new SignatureRule(key.toString(), "", ""));
        assertThat(first.key()).contains(SIGNER.getPublic());
        Files.writeString(key, CosignSigning.pem(CosignSigning.ed25519().getPublic()));
        SigningAnchor second = SigningAnchor.load(RULE, new SignatureRule(key.toString(), "", ""));
        assertThat(second.fingerprint()).isNotEqualTo(first.fingerprint());
        Files.writeString(key, "not a key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SigningAnchor.load(RULE,
                new SignatureRule(key.toString(), "", ""))).hasMessage(RULE + ".key: " + key
                + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
}

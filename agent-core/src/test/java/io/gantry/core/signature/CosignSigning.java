package io.gantry.core.signature;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes cosign signatures for tests, in cosign's layout: the simple-signing payload, the annotations of its layer
 * (signature, certificate and chain, bundle), keys of each kind cosign uses, and a certificate authority made with the
 * JDK's {@code keytool}. A test "log" key signs the bundles' entries as Rekor would.
 */
public final class CosignSigning {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CosignSigning() {
    }

    public static KeyPair ecdsa() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    public static KeyPair rsa() {
        return generate("RSA", null);
    }

    public static KeyPair ed25519() {
        return generate("Ed25519", null);
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                g.initialize(spec);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM {@code PUBLIC KEY}, as {@code cosign.pub}. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cosign's simple-signing payload for {@code digest} of {@code repository} ({@code host/path}). */
    public static byte[] payload(String repository, String digest) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", repository);
        critical.putObject("image").put("docker-manifest-digest", digest);
        critical.put("type", CosignVerifier.PAYLOAD_TYPE);
        root.putNull("optional");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base64 signature cosign puts in the {@code dev.cosignproject.cosign/signature} annotation. */
    public static String sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance(CosignVerifier.signatureAlgorithm(key.getAlgorithm()));
            s.initSign(key);
            s.update(message);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Cosign's {@code dev.sigstore.cosign/bundle}: a {@code hashedrekord} entry of the payload and signature, and the
     * log's signed entry timestamp over the entry's canonical JSON.
     */
    public static String bundle(PrivateKey logKey, byte[] payload, String signature, String publicKeyPem,
                                long integratedTime) {
        try {
            Map<String, Object> body = Map.of("apiVersion", "0.0.1", "kind", "hashedrekord", "spec", Map.of(
                    "data", Map.of("hash", Map.of("algorithm", "sha256", "value", HexFormat.of().formatHex(
                            SigningAnchor.sha256().digest(payload)))),
                    "signature", Map.of("content", signature, "publicKey", Map.of("content", Base64.getEncoder()
                            .encodeToString(publicKeyPem.getBytes(StandardCharsets.US_ASCII))))));
            Map<String, Object> entry = new TreeMap<>();
            entry.put("body", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(body)));
            entry.put("integratedTime", integratedTime);
            entry.put("logID", "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
            entry.put("logIndex", 4711);
            byte[] canonical = JSON.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(entry);
            Map<String, Object> bundle = new LinkedHashMap<>();
            bundle.put("SignedEntryTimestamp", sign(logKey, canonical));
            bundle.put("Payload", entry);
            return JSON.writeValueAsString(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate authority and a code-signing certificate it issued, with the signer's private key. */
    public record Pki(X509Certificate root, X509Certificate leaf, PrivateKey leafKey) {

        /** Makes one with {@code keytool} in {@code dir}: EC P-256 keys, valid for a day. */
        public static Pki make(Path dir) {
            try {
                Files.createDirectories(dir);
                Path store = dir.resolve("pki.p12");
                keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                        "CN=Gantry Test CA", "-ext", "bc:c", "-validity", "1");
                keytool(dir, "-genkeypair", "-alias", "signer", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                        "CN=signer@example.org", "-validity", "1");
                keytool(dir, "-certreq", "-alias", "signer", "-file", dir.resolve("signer.csr").toString());
                keytool(dir, "-gencert", "-alias", "ca", "-infile", dir.resolve("signer.csr").toString(),
                        "-outfile", dir.resolve("signer.crt").toString(), "-rfc", "-ext", "ku:c=digitalSignature",
                        "-ext", "eku=codeSigning", "-validity", "1");
                keytool(dir, "-importcert", "-alias", "signer", "-file", dir.resolve("signer.crt").toString());
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(store)) {
                    ks.load(in, "changeit".toCharArray());
                }
                Certificate[] chain = ks.getCertificateChain("signer");
                return new Pki((X509Certificate) ks.getCertificate("ca"), (X509Certificate) chain[0],
                        (PrivateKey) ks.getKey("signer", "changeit".toCharArray()));
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test PKI: " + e, e);
            }
        }

        /** Runs the JDK's {@code keytool} on the PKCS12 store {@code dir/pki.p12} (password {@code changeit}). */
        public static void keytool(Path dir, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                    .toString(), "-noprompt", "-keystore", dir.resolve("pki.p12").toString(), "-storetype", "PKCS12",
                    "-storepass", "changeit"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}

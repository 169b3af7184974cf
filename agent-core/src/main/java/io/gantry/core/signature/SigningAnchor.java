package io.gantry.core.signature;

import io.gantry.config.SignatureRule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one signature rule trusts, read from its PEM files: a public key or certificates (the authority and any
 * intermediates), and the transparency log's key when the log is required. {@code fingerprint} is a SHA-256 over the
 * rule's pattern and the files' contents, so that a digest verified under other anchors is verified again.
 */
public record SigningAnchor(String rule, Optional<PublicKey> key, List<X509Certificate> certificates,
                            Optional<PublicKey> tlogKey, String fingerprint) {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    public SigningAnchor {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(key, "key");
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(tlogKey, "tlogKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (key.isPresent() == !certificates.isEmpty()) {
            throw new IllegalArgumentException(rule + ": exactly one of a key and certificates is needed");
        }
    }

    /**
     * Reads the files of {@code rule}, which {@code rulePath} ({@code trust.signatures["pattern"]}) names.
     *
     * @throws IllegalArgumentException naming the key and file that cannot be read or parsed
     */
    public static SigningAnchor load(String rulePath, SignatureRule rule) {
        MessageDigest sha = sha256();
        sha.update(rulePath.getBytes(StandardCharsets.UTF_8));
        Optional<PublicKey> key = Optional.empty();
        List<X509Certificate> certificates = List.of();
        if (!rule.key().isEmpty()) {
            byte[] pem = read(rulePath + ".key", rule.key(), sha);
            key = Optional.of(publicKey(rulePath + ".key", rule.key(), pem));
        } else {
            byte[] pem = read(rulePath + ".certificate", rule.certificate(), sha);
            certificates = certificates(rulePath + ".certificate", rule.certificate(), pem);
        }
        Optional<PublicKey> tlog = Optional.empty();
        if (rule.needsTlog()) {
            byte[] pem = read(rulePath + ".tlog_key", rule.tlogKey(), sha);
            tlog = Optional.of(publicKey(rulePath + ".tlog_key", rule.tlogKey(), pem));
        }
        return new SigningAnchor(rulePath, key, certificates, tlog, HexFormat.of().formatHex(sha.digest()));
    }

    /** A PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) of an ECDSA, RSA or Ed25519 key. */
    public static PublicKey publicKey(String what, String file, byte[] pem) {
        Matcher m = PEM_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException(what + ": " + file + " holds no PEM public key (-----BEGIN PUBLIC KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + file + ": the PEM public key is not base64", e);
        }
        return parseKey(der).orElseThrow(() -> new IllegalArgumentException(what + ": " + file
                + " is not an ECDSA, RSA or Ed25519 public key"));
    }

    /** A DER SubjectPublicKeyInfo as an ECDSA, RSA or Ed25519 key; empty when it is none of them. */
    static Optional<PublicKey> parseKey(byte[] der) {
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der)));
            } catch (GeneralSecurityException | IllegalArgumentException notThisOne) {
                // try the next algorithm
            }
        }
        return Optional.empty();
    }

    /** Every certificate of a PEM file, in the file's order. */
    public static List<X509Certificate> certificates(String what, String file, byte[] pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(what + ": " + file + " holds no PEM certificate");
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + ": " + file + " is not a PEM certificate file: " + e.getMessage(),
                    e);
        }
    }

    private static byte[] read(String what, String file, MessageDigest sha) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of(file));
            sha.update(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot read " + file + ": " + e, e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java runtime has no SHA-256", e);
        }
    }
}

package io.gantry.config;

import java.util.Objects;

/**
 * One entry of {@code trust.signatures}, keyed by a repository pattern: the trust anchor cosign signatures of the
 * matching images must verify against, as PEM file paths. Exactly one of {@code key} (a public key: ECDSA, RSA or
 * Ed25519) and {@code certificate} (the certificate authority, or the chain ending in it, that issued the signing
 * certificate) is set, which {@link ConfigRules} checks; {@code tlogKey}, when set, is the transparency log's public
 * key and makes a log entry (cosign's bundle, checked offline by its signed entry timestamp) a requirement.
 */
public record SignatureRule(String key, String certificate, String tlogKey) {

    /** What an entry holds for every key it leaves out. */
    public static final SignatureRule DEFAULTS = new SignatureRule("", "", "");

    public SignatureRule {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(tlogKey, "tlogKey");
    }

    /** Whether the signature must also be in the transparency log. */
    public boolean needsTlog() {
        return !tlogKey.isEmpty();
    }
}

package io.gantry.app.dashboard;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The dashboard password as the configuration holds it: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, PBKDF2 with
 * HMAC-SHA256 from the JDK, base64 salt (16 random bytes) and 32-byte hash. Only the hash is ever stored; a check
 * compares in constant time.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    /** OWASP's figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023): about 0.3 s on a small gateway. */
    public static final int ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public PasswordHash {
        if (iterations < 1000) {
            throw new IllegalArgumentException("a password hash needs at least 1000 iterations, not " + iterations);
        }
        salt = Objects.requireNonNull(salt, "salt").clone();
        hash = Objects.requireNonNull(hash, "hash").clone();
        if (salt.length < 8 || hash.length != HASH_BITS / 8) {
            throw new IllegalArgumentException("a password hash has a salt of 8 bytes or more and a 32-byte hash");
        }
    }

    /** Hashes {@code password} with a new random salt. */
    public static PasswordHash of(char[] password) {
        return of(password, ITERATIONS);
    }

    /** The same with fewer iterations: for tests, which must not spend a second per login. */
    static PasswordHash of(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /**
     * Reads the configuration's form.
     *
     * @throws IllegalArgumentException when {@code text} is not one (without echoing it)
     */
    public static PasswordHash parse(String text) {
        String[] parts = text.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a password hash of the form " + SCHEME
                    + "$<iterations>$<salt>$<hash>");
        }
        try {
            return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
                    Base64.getDecoder().decode(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the iterations of the password hash are not a number", e);
        }
    }

    /** True when {@code password} is the one hashed; the comparison takes the same time whatever differs. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** The configuration's form. */
    public String format() {
        return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return SCHEME + "$" + iterations + "$****";
    }
}

package io.gantry.ditto.software;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a downloaded artifact against the checksum hawkBit sent, the way Kanto does (reference/kanto-things.md
 * §3.3): {@code MD5} if given, else {@code SHA1}, else {@code SHA256}, with Kanto's messages. Unlike Kanto, which
 * crashes on a hex value longer than the digest, such a value is refused like any other invalid one.
 */
final class Checksums {

    private static final Logger LOG = LoggerFactory.getLogger(Checksums.class);

    private Checksums() {
    }

    /** @throws ArtifactException (rejected) when the checksum is invalid or does not match */
    static void verify(byte[] body, Map<String, String> checksums) {
        for (String algorithm : new String[] {"MD5", "SHA1", "SHA256"}) {
            String expected = checksums.getOrDefault(algorithm, "").trim();
            if (!expected.isEmpty()) {
                verify(body, algorithm, expected);
                return;
            }
        }
        LOG.warn("No checksum was given for the downloaded artifact; it is used unverified");
    }

    private static void verify(byte[] body, String algorithm, String expectedHex) {
        byte[] actual = digest(algorithm, body);
        byte[] expected;
        try {
            if (expectedHex.length() % 2 != 0 || expectedHex.length() / 2 > actual.length) {
                throw new IllegalArgumentException("wrong length");
            }
            expected = HexFormat.of().parseHex(expectedHex);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("the provided input hash is either invalid, not a hex string or the length"
                    + " exceeds " + actual.length + " bytes", true, e);
        }
        if (!MessageDigest.isEqual(actual, expected)) {
            throw new ArtifactException(algorithm.toLowerCase(Locale.ROOT) + " checksum does not match", true, null);
        }
    }

    private static byte[] digest(String algorithm, byte[] body) {
        String javaName = switch (algorithm) {
            case "SHA1" -> "SHA-1";
            case "SHA256" -> "SHA-256";
            default -> algorithm;
        };
        try {
            return MessageDigest.getInstance(javaName).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + javaName, e);
        }
    }
}

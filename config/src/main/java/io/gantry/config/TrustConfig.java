package io.gantry.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which images may run: with {@code enforce}, a container is created only from an image whose digest (a registry's
 * manifest digest or a local image id, {@code sha256:} and 64 hex digits) is in {@code allowlist}. An allowlist entry
 * may hold several digests separated by commas or line breaks, so Kura's {@code enforcement.allowlist} text can be
 * pasted as one string. {@link ConfigRules} reports entries that are not digests. {@code unmanaged} says what happens to
 * a container Gantry did not create whose image is not allowed: {@code stop} (at once; it is never removed) or
 * {@code report}. {@code signatures} maps repository patterns to {@link SignatureRule}s: an image whose repository
 * matches one must carry a cosign signature that verifies against the rule's anchor (docs/trust.md).
 */
public record TrustConfig(boolean enforce, List<String> allowlist, String unmanaged,
                          Map<String, SignatureRule> signatures) {

    public static final String STOP = "stop";
    public static final String REPORT = "report";
    public static final TrustConfig DEFAULTS = new TrustConfig(false, List.of(), STOP, Map.of());
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\r\\n]+");
    /** A repository pattern: host[:port]/path components of lower-case letters, digits, separators and globs. */
    static final Pattern REPOSITORY_PATTERN = Pattern.compile(
            "[a-zA-Z0-9*\\[][a-zA-Z0-9.:*\\[\\]-]*(?:/[a-z0-9*][a-z0-9._*-]*)*");

    public TrustConfig {
        allowlist = List.copyOf(allowlist);
        signatures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(signatures));
        unmanaged = java.util.Objects.requireNonNull(unmanaged, "unmanaged").trim().toLowerCase(Locale.ROOT);
    }

    public TrustConfig(boolean enforce, List<String> allowlist, String unmanaged) {
        this(enforce, allowlist, unmanaged, Map.of());
    }

    /**
     * The signature rule for a repository ({@code host[:port]/path}, as an image reference normalises it): of the
     * patterns that match it, the longest. In a pattern {@code *} stands for any characters but {@code /} and
     * {@code **} for any characters.
     */
    public Optional<Map.Entry<String, SignatureRule>> signatureRule(String repository) {
        return signatures.entrySet().stream().filter(e -> globMatches(e.getKey(), repository))
                .max(Comparator.comparingInt(e -> e.getKey().length()));
    }

    /** Whether {@code repository} matches the glob {@code pattern} (case-insensitive in the host part). */
    static boolean globMatches(String pattern, String repository) {
        StringBuilder regex = new StringBuilder();
        String p = pattern.trim();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(repository).matches();
    }

    /** Whether containers Gantry did not create are stopped (rather than only reported) when not allowed. */
    public boolean stopsUnmanaged() {
        return unmanaged.equals(STOP);
    }

    /** The digests of every entry, in lower case; tokens that are not digests are left out. */
    public Set<String> digests() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : allowlist) {
            for (String token : tokens(entry)) {
                if (DIGEST.matcher(token).matches()) {
                    out.add(token);
                }
            }
        }
        return out;
    }

    /** The non-blank tokens of one entry, trimmed and in lower case. */
    static List<String> tokens(String entry) {
        return SEPARATORS.splitAsStream(entry).map(t -> t.strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty()).toList();
    }
}

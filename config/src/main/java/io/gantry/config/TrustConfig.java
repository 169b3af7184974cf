package io.gantry.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which images may run: with {@code enforce}, a container is created only from an image whose digest (a registry's
 * manifest digest or a local image id, {@code sha256:} and 64 hex digits) is in {@code allowlist}. An allowlist entry
 * may hold several digests separated by commas or line breaks, so Kura's {@code enforcement.allowlist} text can be
 * pasted as one string. {@link ConfigRules} reports entries that are not digests. {@code unmanaged} says what happens to
 * a container Gantry did not create whose image is not allowed: {@code stop} (at once; it is never removed) or
 * {@code report}.
 */
public record TrustConfig(boolean enforce, List<String> allowlist, String unmanaged) {

    public static final String STOP = "stop";
    public static final String REPORT = "report";
    public static final TrustConfig DEFAULTS = new TrustConfig(false, List.of(), STOP);
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SEPARATORS = Pattern.compile("[,\\r\\n]+");

    public TrustConfig {
        allowlist = List.copyOf(allowlist);
        unmanaged = java.util.Objects.requireNonNull(unmanaged, "unmanaged").trim().toLowerCase(Locale.ROOT);
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

package io.gantry.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way Kanto's configuration and wire formats spell them: Go duration strings
 * ({@code 30s}, {@code 1m30s}, {@code 500ms}, {@code 1h2m3s5ms}) or a plain integer number of seconds.
 */
public final class Durations {

    /** The form the configuration accepts: Go's, without a sign and with digits on both sides of a point. */
    private static final Pattern WHOLE = Pattern.compile("^(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))+$");
    private static final Pattern SECONDS = Pattern.compile("^\\d+$");

    private Durations() {
    }

    /**
     * Reads {@code 20s}, {@code 1m30s}, {@code 250ms}, {@code 0} or {@code 15} (seconds). Negative durations are
     * rejected; where a negative value means something on the wire, the caller checks for it first.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a duration is required (e.g. 20s, 1m)");
        }
        String s = text.trim();
        if (SECONDS.matcher(s).matches()) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (e.g. 20s, 1m)");
        }
        try {
            return GoDuration.parse(s); // in this form, Go refuses only what overflows
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too long a duration", e);
        }
    }

    /** Go's {@code time.Duration.String()}: {@code 0s}, {@code 250ms}, {@code 30s}, {@code 1m30s}, {@code 1h0m0s}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        if (abs < 1_000L) {
            return sign + abs + "ns";
        }
        if (abs < 1_000_000L) {
            return sign + trimmed(BigDecimal.valueOf(abs, 3)) + "µs";
        }
        if (abs < 1_000_000_000L) {
            return sign + trimmed(BigDecimal.valueOf(abs, 6)) + "ms";
        }
        long hours = abs / 3_600_000_000_000L;
        long minutes = (abs / 60_000_000_000L) % 60;
        BigDecimal seconds = BigDecimal.valueOf(abs % 60_000_000_000L, 9);
        StringBuilder out = new StringBuilder(sign);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(trimmed(seconds)).append('s').toString();
    }

    private static String trimmed(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }
}

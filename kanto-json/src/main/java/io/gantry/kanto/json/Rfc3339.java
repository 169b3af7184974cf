package io.gantry.kanto.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as Kanto writes them: Go's RFC 3339 with nanoseconds in UTC, trailing zeros of the fraction dropped
 * ({@code 2024-06-28T07:35:21.123456789Z}, {@code 2024-06-28T07:35:21.5Z}, {@code 2024-06-28T07:35:21Z}), in the twin
 * and in the update agent's inventory alike.
 */
public final class Rfc3339 {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Rfc3339() {
    }

    public static String format(Instant instant) {
        StringBuilder out = new StringBuilder(SECONDS.format(instant));
        int nanos = instant.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(fraction, 0, end);
        }
        return out.append('Z').toString();
    }
}

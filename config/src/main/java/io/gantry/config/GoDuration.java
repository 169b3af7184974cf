package io.gantry.config;

import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}, with its error texts: Kanto reads a request's {@code frequency} string with it and
 * answers 400 with the error text (reference/kanto-things.md §3.4), so Gantry must accept and reject exactly the same
 * strings and say the same thing. It is the one Go-duration parser: {@link Durations} reads the configuration's
 * stricter form (no sign, or plain seconds) with it too.
 */
public final class GoDuration {

    private static final long HIGH_BIT = 1L << 63; // Go's 1<<63 as an unsigned 64-bit value
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // U+00B5 micro sign
            "\u03bcs", 1_000L, // U+03BC Greek small letter mu
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /**
     * Reads {@code 300ms}, {@code -1.5h}, {@code 2h45m} or {@code 0}.
     *
     * @throws IllegalArgumentException with Go's error text, e.g. {@code time: invalid duration "x"}
     */
    public static Duration parse(String orig) {
        String s = orig;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(orig);
        }
        long total = 0; // unsigned, at most 1<<63
        while (!s.isEmpty()) {
            char first = s.charAt(0);
            if (!(first == '.' || isDigit(first))) {
                throw invalid(orig);
            }
            int i = 0;
            long whole = 0;
            for (; i < s.length() && isDigit(s.charAt(i)); i++) {
                if (Long.compareUnsigned(whole, Long.divideUnsigned(HIGH_BIT, 10)) > 0) {
                    throw invalid(orig);
                }
                whole = whole * 10 + (s.charAt(i) - '0');
                if (Long.compareUnsigned(whole, HIGH_BIT) > 0) {
                    throw invalid(orig);
                }
            }
            boolean digitsBefore = i > 0;
            s = s.substring(i);

            long fraction = 0;
            double scale = 1;
            boolean digitsAfter = false;
            if (!s.isEmpty() && s.charAt(0) == '.') {
                s = s.substring(1);
                int j = 0;
                boolean overflow = false;
                for (; j < s.length() && isDigit(s.charAt(j)); j++) {
                    if (overflow) {
                        continue;
                    }
                    if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                        overflow = true;
                        continue;
                    }
                    long next = fraction * 10 + (s.charAt(j) - '0');
                    if (Long.compareUnsigned(next, HIGH_BIT) > 0) {
                        overflow = true;
                        continue;
                    }
                    fraction = next;
                    scale *= 10;
                }
                digitsAfter = j > 0;
                s = s.substring(j);
            }
            if (!digitsBefore && !digitsAfter) {
                throw invalid(orig); // "." or ".s"
            }

            int k = 0;
            while (k < s.length() && s.charAt(k) != '.' && !isDigit(s.charAt(k))) {
                k++;
            }
            if (k == 0) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(orig));
            }
            String unitName = s.substring(0, k);
            s = s.substring(k);
            Long unit = UNITS.get(unitName);
            if (unit == null) {
                throw new IllegalArgumentException(
                        "time: unknown unit " + quote(unitName) + " in duration " + quote(orig));
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(HIGH_BIT, unit)) > 0) {
                throw invalid(orig);
            }
            long value = whole * unit;
            if (fraction > 0) {
                value += (long) (unsignedToDouble(fraction) * (unit / scale));
                if (Long.compareUnsigned(value, HIGH_BIT) > 0) {
                    throw invalid(orig);
                }
            }
            total += value;
            if (Long.compareUnsigned(total, HIGH_BIT) > 0) {
                throw invalid(orig);
            }
        }
        if (negative) {
            return Duration.ofNanos(-total); // -(1<<63) wraps to Long.MIN_VALUE, which is the right answer
        }
        if (Long.compareUnsigned(total, Long.MAX_VALUE) > 0) {
            throw invalid(orig);
        }
        return Duration.ofNanos(total);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0;
    }

    /** {@code strconv.Quote}: double quotes, with backslash escapes for quotes, backslashes and unprintables. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                    if (isPrintable(cp)) {
                        out.appendCodePoint(cp);
                    } else if (cp < 0x80) {
                        out.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.append(String.format("\\U%08x", cp));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    private static IllegalArgumentException invalid(String orig) {
        return new IllegalArgumentException("time: invalid duration " + quote(orig));
    }
}

package io.gantry.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory or disk in bytes, written by operators as {@code 512m}, {@code 1.5G} or {@code 100MiB}.
 *
 * <p>Units are binary (1k = 1024), as in Docker and Kanto (reference/kanto-cua.md §2.5). Unlike Kanto, which
 * needs the unit letter to be lower or upper case exactly as first written, the unit is case-insensitive and may
 * carry a {@code b}/{@code ib} suffix. A bare number is rejected: Docker reads it as bytes and Kanto rejects it, so
 * it is ambiguous, and a memory limit of 512 bytes is never what an operator meant.
 *
 * <p>A size keeps the text it was read from ({@code written}, empty when it was not read), so that it is shown as
 * written ({@code 300m}), as Kanto echoes it; equality and order are by bytes alone, so {@code 200m} equals
 * {@code 200M}.
 */
public record ByteSize(long bytes, String written) implements Comparable<ByteSize> {

    private static final Pattern FORM = Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgt])(?:i?b)?$|^(\\d+) ?b$",
            Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGT";

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
        Objects.requireNonNull(written, "written");
    }

    public ByteSize(long bytes) {
        this(bytes, "");
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofMebibytes(long mebibytes) {
        return new ByteSize(Math.multiplyExact(mebibytes, 1024L * 1024L));
    }

    /**
     * Reads {@code 512m}, {@code 512M}, {@code 1.5g}, {@code 100MiB}, {@code 64kb} or {@code 10b}.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static ByteSize parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a size is required (e.g. 512m, 1g)");
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size (e.g. 512m, 1.5g, 100MiB)");
        }
        if (m.group(3) != null) {
            return new ByteSize(Long.parseLong(m.group(3)), text.trim());
        }
        int power = UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        try {
            // Kanto truncates fractional bytes (1.3k = 1331 bytes); so do we.
            return new ByteSize(value.toBigInteger().longValueExact(), text.trim());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too large a size", e);
        }
    }

    /** The size as written, else the shortest exact form: {@code 200M}, {@code 1G}, {@code 1536K}, {@code 10B}. */
    public String format() {
        return written.isEmpty() ? shortest() : written;
    }

    /** The shortest exact form, whatever was written. */
    public String shortest() {
        if (bytes == 0) {
            return "0B";
        }
        for (int power = UNITS.length(); power >= 1; power--) {
            long unit = 1L << (10 * power);
            if (bytes % unit == 0) {
                return (bytes / unit) + String.valueOf(UNITS.charAt(power - 1));
            }
        }
        return bytes + "B";
    }

    public ByteSize times(long factor) {
        return new ByteSize(Math.multiplyExact(bytes, factor));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteSize size && size.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return format();
    }
}

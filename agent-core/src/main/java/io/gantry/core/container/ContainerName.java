package io.gantry.core.container;

import java.util.regex.Pattern;

/**
 * A container name. The rule is Kanto's ({@code ^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$}, reference/kanto-cua.md §2.1),
 * which every name Docker accepts also satisfies; Docker's leading {@code /} is dropped.
 */
public record ContainerName(String value) implements Comparable<ContainerName> {

    private static final Pattern FORM = Pattern.compile("^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$");

    public ContainerName {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid container name format : " + value);
        }
    }

    /** Reads a name as typed by an operator or as reported by Docker ({@code /web}). */
    public static ContainerName parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid container name format : null");
        }
        return new ContainerName(text.startsWith("/") ? text.substring(1) : text);
    }

    public static boolean isValid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    @Override
    public int compareTo(ContainerName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

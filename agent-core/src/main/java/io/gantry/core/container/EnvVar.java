package io.gantry.core.container;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** One environment variable: {@code NAME=value}, {@code NAME=} (empty) or {@code NAME} (passed through unset). */
public record EnvVar(String name, Optional<String> value) implements Comparable<EnvVar> {

    // Kanto's rule (reference/kanto-cua.md §2.3) for what operators type; what Docker reports is read leniently.
    private static final Pattern TYPED = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*(=.*)?$", Pattern.DOTALL);
    private static final Comparator<EnvVar> ORDER =
            Comparator.comparing(EnvVar::name).thenComparing(e -> e.value().orElse(""));

    public EnvVar {
        Objects.requireNonNull(value, "value");
        if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid environmental variable name: " + name);
        }
    }

    public static EnvVar of(String name, String value) {
        return new EnvVar(name, Optional.of(value));
    }

    /**
     * Reads {@code NAME=value} as an operator types it.
     *
     * @throws IllegalArgumentException with Kanto's message for a bad declaration
     */
    public static EnvVar parse(String text) {
        if (text == null || !TYPED.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid environmental variable declaration provided : " + text);
        }
        return fromEngine(text);
    }

    /** Reads an entry of Docker's {@code Config.Env}, which may hold names an operator could not type. */
    public static EnvVar fromEngine(String text) {
        int eq = text.indexOf('=');
        return eq < 0 ? new EnvVar(text, Optional.empty())
                : new EnvVar(text.substring(0, eq), Optional.of(text.substring(eq + 1)));
    }

    @Override
    public int compareTo(EnvVar other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return value.map(v -> name + "=" + v).orElse(name);
    }
}

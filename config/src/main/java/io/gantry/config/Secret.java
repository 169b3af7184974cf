package io.gantry.config;

import java.util.Objects;

/** A password or token: its {@code toString()} never shows the value, so it cannot leak into a log line. */
public record Secret(String value) {

    public static final Secret NONE = new Secret("");

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? NONE : new Secret(value);
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "" : "****";
    }
}

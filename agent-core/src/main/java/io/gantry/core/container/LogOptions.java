package io.gantry.core.container;

import java.util.OptionalInt;

/** Which part of a container's output to read: the last {@code tail} lines (all when empty), then follow or stop. */
public record LogOptions(boolean follow, OptionalInt tail, boolean timestamps) {

    public static final LogOptions ALL = new LogOptions(false, OptionalInt.empty(), false);

    public LogOptions {
        if (tail.isPresent() && tail.getAsInt() < 0) {
            throw new IllegalArgumentException("--tail must not be negative");
        }
    }
}

package io.gantry.core.time;

import java.util.Objects;

/**
 * Whether the system clock is synchronised (the "time good" signal), and which source said so. {@code source} names
 * the file or tool that answered, or why nothing could; it is never blank.
 */
public record TimeSync(State state, String source) {

    /** {@link #UNKNOWN}: no source could tell. */
    public enum State { SYNCHRONISED, NOT_SYNCHRONISED, UNKNOWN }

    public TimeSync {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("a time-sync status names its source");
        }
    }

    public static TimeSync synchronised(String source) {
        return new TimeSync(State.SYNCHRONISED, source);
    }

    public static TimeSync notSynchronised(String source) {
        return new TimeSync(State.NOT_SYNCHRONISED, source);
    }

    public static TimeSync unknown(String why) {
        return new TimeSync(State.UNKNOWN, why);
    }

    /** True only when a source said the clock is not synchronised: an unknown status is not held against it. */
    public boolean knownUnsynchronised() {
        return state == State.NOT_SYNCHRONISED;
    }

    /** One line for logs, feedback and {@code gantry doctor}: {@code not synchronised (chronyc: …)}. */
    public String describe() {
        return switch (state) {
            case SYNCHRONISED -> "synchronised (" + source + ")";
            case NOT_SYNCHRONISED -> "not synchronised (" + source + ")";
            case UNKNOWN -> "cannot tell: " + source;
        };
    }
}

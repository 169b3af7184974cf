package io.gantry.core.container;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to stop a container: the signal sent first (the image's stop signal when empty) and how long to wait before
 * the engine kills it (the configured default when empty).
 */
public record StopOptions(Optional<Duration> timeout, Optional<String> signal) {

    public static final StopOptions DEFAULT = new StopOptions(Optional.empty(), Optional.empty());

    public StopOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(signal, "signal");
        if (timeout.isPresent() && timeout.get().isNegative()) {
            throw new IllegalArgumentException("the timeout = " + timeout.get().toSeconds() + " shouldn't be negative");
        }
        signal = signal.filter(s -> !s.isBlank()).map(StopOptions::normalise);
    }

    public static StopOptions timeout(Duration timeout) {
        return new StopOptions(Optional.of(timeout), Optional.empty());
    }

    /** {@code int}, {@code INT} and {@code SIGINT} are read as {@code SIGINT}; a number stays as typed. */
    private static String normalise(String signal) {
        return Signals.canonical(signal).orElseThrow(() -> new IllegalArgumentException("invalid signal = " + signal
                + " (expected a signal name such as SIGTERM or TERM, or a number from 1 to 64)"));
    }
}

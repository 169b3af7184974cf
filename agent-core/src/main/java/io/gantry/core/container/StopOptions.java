package io.gantry.core.container;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to stop a container: the signal sent first (the image's stop signal when empty) and how long to wait before
 * the engine kills it (the configured default when empty).
 */
public record StopOptions(Optional<Duration> timeout, Optional<String> signal) {

    public static final StopOptions DEFAULT = new StopOptions(Optional.empty(), Optional.empty());
    private static final Pattern SIGNAL = Pattern.compile("^(SIG[A-Z0-9+-]+|\\d{1,2})$");

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

    /**
     * {@code int}, {@code SIGINT} and {@code 2} all name the same signal; the result is upper case. A name Linux does
     * not know ({@code SIGFOO}) is rejected here rather than by the engine at stop time.
     */
    private static String normalise(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (!s.startsWith("SIG") && !s.chars().allMatch(Character::isDigit)) {
            s = "SIG" + s;
        }
        if (!SIGNAL.matcher(s).matches() || !Signals.known(s)) {
            throw new IllegalArgumentException("invalid signal = " + signal);
        }
        return s;
    }
}

package io.gantry.core.container;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to stop a container: the signal sent first (the image's stop signal when empty) and how long to wait before
 * the engine kills it (the configured default when empty).
 */
public record StopOptions(Optional<Duration> timeout, Optional<String> signal) {

    public static final StopOptions DEFAULT = new StopOptions(Optional.empty(), Optional.empty());
    // Linux signal names (signal(7)) and the real-time range, as the engine's signal parser knows them.
    private static final Set<String> NAMES = Set.of("SIGABRT", "SIGALRM", "SIGBUS", "SIGCHLD", "SIGCLD", "SIGCONT",
            "SIGFPE", "SIGHUP", "SIGILL", "SIGINT", "SIGIO", "SIGIOT", "SIGKILL", "SIGPIPE", "SIGPOLL", "SIGPROF",
            "SIGPWR", "SIGQUIT", "SIGSEGV", "SIGSTKFLT", "SIGSTOP", "SIGSYS", "SIGTERM", "SIGTRAP", "SIGTSTP",
            "SIGTTIN", "SIGTTOU", "SIGURG", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ",
            "SIGRTMIN", "SIGRTMAX");
    private static final Pattern REAL_TIME = Pattern.compile("^SIGRTMIN\\+([1-9]|1[0-5])$|^SIGRTMAX-([1-9]|1[0-4])$");
    private static final Pattern NUMBER = Pattern.compile("^[1-9]\\d?$");

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

    /** {@code int}, {@code SIGINT} and {@code 2} all name the same signal; the result is upper case. */
    private static String normalise(String signal) {
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (!s.startsWith("SIG") && !s.chars().allMatch(Character::isDigit)) {
            s = "SIG" + s;
        }
        boolean known = NAMES.contains(s) || REAL_TIME.matcher(s).matches()
                || (NUMBER.matcher(s).matches() && Integer.parseInt(s) <= 64);
        if (!known) {
            throw new IllegalArgumentException("invalid signal = " + signal
                    + " (expected a signal name such as SIGTERM or TERM, or a number from 1 to 64)");
        }
        return s;
    }
}

package io.gantry.core.container;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Linux signal names and numbers, so that {@code SIGINT}, {@code INT} and {@code 2} compare equal. The engine
 * reports a signal as its number (the {@code signal} attribute of a kill event), operators type names.
 */
public final class Signals {

    // Index = signal number on Linux (x86-64 and arm64 share these 31).
    private static final List<String> NAMES = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
            "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
            "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");

    private static final int MAX = 64;

    // Other names the engine's signal parser accepts (signal(7) aliases and the real-time range).
    private static final Set<String> ALIASES = Set.of("SIGCLD", "SIGIOT", "SIGPOLL", "SIGRTMIN", "SIGRTMAX");
    private static final Pattern REAL_TIME = Pattern.compile("^SIGRTMIN\\+([1-9]|1[0-5])$|^SIGRTMAX-([1-9]|1[0-4])$");

    /** The signal a plain {@code docker stop} sends unless the image names another. */
    public static final String DEFAULT_STOP_SIGNAL = "SIGTERM";

    private Signals() {
    }

    /** The number of {@code SIGTERM}, {@code TERM}, {@code term} or {@code 15}; empty for unknown names. */
    public static OptionalInt number(String signal) {
        if (signal == null || signal.isBlank()) {
            return OptionalInt.empty();
        }
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            int n = s.length() <= 2 ? Integer.parseInt(s) : 0;
            return n >= 1 && n <= MAX ? OptionalInt.of(n) : OptionalInt.empty();
        }
        int index = NAMES.indexOf(s.startsWith("SIG") ? s : "SIG" + s);
        return index > 0 ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /**
     * The form the engine is given: {@code SIGINT} for {@code int}, {@code INT} or {@code sigint}, and a number as it
     * was typed ({@code 2}); empty when the text names no signal the engine knows.
     */
    public static Optional<String> canonical(String signal) {
        if (signal == null || signal.isBlank()) {
            return Optional.empty();
        }
        String s = signal.trim().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            return number(s).isPresent() && !s.startsWith("0") ? Optional.of(s) : Optional.empty();
        }
        String name = s.startsWith("SIG") ? s : "SIG" + s;
        boolean known = NAMES.indexOf(name) > 0 || ALIASES.contains(name) || REAL_TIME.matcher(name).matches();
        return known ? Optional.of(name) : Optional.empty();
    }

    /** True when both name the same signal ({@code SIGTERM} and {@code 15}); unknown names compare as text. */
    public static boolean same(String a, String b) {
        OptionalInt na = number(a);
        OptionalInt nb = number(b);
        if (na.isPresent() && nb.isPresent()) {
            return na.getAsInt() == nb.getAsInt();
        }
        return a != null && b != null && a.trim().equalsIgnoreCase(b.trim());
    }

    /** The number as the engine's events spell it ({@code "2"}), or the signal as given when it has no number. */
    public static String wireForm(String signal) {
        OptionalInt n = number(signal);
        return n.isPresent() ? Integer.toString(n.getAsInt()) : signal;
    }
}

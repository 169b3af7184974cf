package io.gantry.core.container;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

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

package io.gantry.core.command;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Linux signal names and numbers, read as Docker and Kanto read a stop signal: {@code SIGINT}, {@code INT}, {@code 2}. */
final class Signals {

    // The order is the Linux numbering (signal 1 = HUP); RTMIN..RTMAX are 34..64.
    private static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final int MAX = 64;

    private Signals() {
    }

    /** The canonical form ({@code SIGINT}, or the number for real-time signals), or empty if it is no signal. */
    static Optional<String> parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty() && s.length() <= 2) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= NAMES.size()) {
                return Optional.of("SIG" + NAMES.get(n - 1));
            }
            return n > NAMES.size() && n <= MAX ? Optional.of(s) : Optional.empty();
        }
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        return NAMES.contains(name) ? Optional.of("SIG" + name) : Optional.empty();
    }
}

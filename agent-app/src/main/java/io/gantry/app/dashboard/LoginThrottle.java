package io.gantry.app.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows down password guessing: a client address with {@link #PER_ADDRESS} failed logins within {@link #WINDOW} is
 * refused until the oldest of them leaves the window, and so is everyone once {@link #OVERALL} failures from all
 * addresses fall within it (guesses spread over many addresses). A login that succeeds clears its address.
 * Thread-safe.
 */
final class LoginThrottle {

    static final int PER_ADDRESS = 5;
    static final int OVERALL = 20;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses remembered at most; the oldest are forgotten first, so a flood cannot fill the memory. */
    private static final int MAX_ADDRESSES = 1024;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>();
    private final Deque<Instant> all = new ArrayDeque<>();

    LoginThrottle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long {@code address} must wait before its next try; {@link Duration#ZERO} when it may try now. */
    synchronized Duration waitFor(String address) {
        Instant now = clock.instant();
        prune(all, now);
        Deque<Instant> mine = failures.get(address);
        if (mine != null) {
            prune(mine, now);
        }
        Duration wait = Duration.ZERO;
        if (mine != null && mine.size() >= PER_ADDRESS) {
            wait = Duration.between(now, mine.peekFirst().plus(WINDOW));
        }
        if (all.size() >= OVERALL) {
            Duration overall = Duration.between(now, all.peekFirst().plus(WINDOW));
            wait = overall.compareTo(wait) > 0 ? overall : wait;
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Records a failed login; returns how many {@code address} has within the window. */
    synchronized int failed(String address) {
        Instant now = clock.instant();
        if (!failures.containsKey(address) && failures.size() >= MAX_ADDRESSES) {
            failures.remove(failures.keySet().iterator().next());
        }
        Deque<Instant> mine = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        prune(mine, now);
        mine.addLast(now);
        all.addLast(now);
        prune(all, now);
        return mine.size();
    }

    synchronized void succeeded(String address) {
        failures.remove(address);
    }

    private static void prune(Deque<Instant> times, Instant now) {
        Instant cutoff = now.minus(WINDOW);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }
}

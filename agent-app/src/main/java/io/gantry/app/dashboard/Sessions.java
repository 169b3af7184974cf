package io.gantry.app.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's logins: a random session id (the cookie) and a random CSRF token per login, ending after the
 * configured time without a request. At most {@link #MAX} sessions live at once; a new login beyond that ends the
 * one used longest ago. Thread-safe: every method locks this object for a few map operations.
 */
final class Sessions {

    /** More logins than an operator or two with a laptop and a phone ever need. */
    static final int MAX = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One login. {@code csrf} goes to the page; {@code id} only into an HttpOnly cookie. */
    record Session(String id, String csrf, Instant lastUsed) {
        Session {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(csrf, "csrf");
            Objects.requireNonNull(lastUsed, "lastUsed");
        }

        /** Compares {@code token} with this session's CSRF token in constant time; an absent token never matches. */
        boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.US_ASCII),
                    token.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final Duration timeout;
    private final Clock clock;
    /** In order of last use, oldest first. */
    private final LinkedHashMap<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);

    Sessions(Duration timeout, Clock clock) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new login, with a new id (never one the browser brought: no session fixation). */
    synchronized Session create() {
        expire();
        if (byId.size() >= MAX) {
            Iterator<String> oldest = byId.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        Session s = new Session(token(), token(), clock.instant());
        byId.put(s.id(), s);
        return s;
    }

    /** The live session with {@code id}, marked as used now; empty when unknown or expired. */
    synchronized Optional<Session> use(String id) {
        return peek(id).map(found -> {
            Session used = new Session(id, found.csrf(), clock.instant());
            byId.put(id, used);
            return used;
        });
    }

    /** The live session with {@code id} without marking it used (an open event stream is not activity). */
    synchronized Optional<Session> peek(String id) {
        if (id == null) {
            return Optional.empty();
        }
        expire();
        return Optional.ofNullable(byId.get(id));
    }

    synchronized void end(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    private void expire() {
        Instant cutoff = clock.instant().minus(timeout);
        byId.values().removeIf(s -> s.lastUsed().isBefore(cutoff));
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** For tests: how many sessions live. */
    synchronized int size() {
        expire();
        return byId.size();
    }
}

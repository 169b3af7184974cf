package io.gantry.app.mqtt;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before the next connection attempt: doubling from {@code initial} up to {@code max}, with "equal
 * jitter" (a random point in the upper half of the step) so that many gateways restarted together by one broker
 * outage do not all knock at once.
 */
record Backoff(Duration initial, Duration max) {

    /**
     * Half a second, doubling to two: the broker is local, so a few attempts a second cost nothing, and the twin is
     * back within about two seconds of the broker however long it was away (a cap of thirty once made it ten).
     */
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2));

    Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /**
     * The delay before attempt {@code attempt + 1}, where {@code attempt} counts the failures so far in this outage
     * (0 for the first retry) and {@code random} yields values in [0, 1).
     */
    Duration delay(int attempt, DoubleSupplier random) {
        long maxMillis = max.toMillis();
        long step = initial.toMillis();
        for (int i = 0; i < attempt && step < maxMillis; i++) {
            step *= 2;
        }
        step = Math.min(step, maxMillis);
        long half = step / 2;
        return Duration.ofMillis(step - half + (long) (half * random.getAsDouble()));
    }
}

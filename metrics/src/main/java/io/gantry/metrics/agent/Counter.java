package io.gantry.metrics.agent;

import java.util.concurrent.atomic.LongAdder;

/** A count that only grows, such as messages published; any thread may add to it. */
public final class Counter {

    private final LongAdder count = new LongAdder();

    public void increment() {
        count.increment();
    }

    /** Adds {@code n}, which must not be negative: a counter never goes down. */
    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter cannot go down: " + n);
        }
        count.add(n);
    }

    public long value() {
        return count.sum();
    }
}

package io.gantry.core.concurrent;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made once, at its first use, for resources that most runs never need (an HTTP client keeps a selector
 * thread alive from the moment it is built). Any thread; {@code make} runs at most once and must not return null.
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<T> make;
    private volatile T value;

    public Lazy(Supplier<T> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    @Override
    public T get() {
        T made = value;
        if (made == null) {
            synchronized (this) {
                made = value;
                if (made == null) {
                    made = Objects.requireNonNull(make.get(), "made");
                    value = made;
                }
            }
        }
        return made;
    }
}

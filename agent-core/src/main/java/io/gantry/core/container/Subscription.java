package io.gantry.core.container;

/** A registration that can be cancelled; closing twice is harmless and never throws. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}

package io.gantry.metrics.agent;

/** A value that goes up and down, such as "connected" (1) or "not connected" (0); any thread may set it. */
public final class Gauge {

    private volatile double value;

    /** 1 for true, 0 for false. */
    public void set(boolean on) {
        value = on ? 1 : 0;
    }

    public double value() {
        return value;
    }
}

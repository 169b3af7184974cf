package io.gantry.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Measured values of one figure (milliseconds, MiB, …), with the order statistics the report prints. */
public final class Samples {

    private final List<Double> values = new ArrayList<>();

    public synchronized void add(double value) {
        values.add(value);
    }

    public synchronized int count() {
        return values.size();
    }

    public double median() {
        return percentile(50);
    }

    /** Nearest-rank percentile (p in 0..100): p99 of 200 values is the 198th smallest. */
    public synchronized double percentile(double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (p == 50 && sorted.size() % 2 == 0) {
            return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public synchronized double max() {
        return values.isEmpty() ? Double.NaN : Collections.max(values);
    }

    public synchronized List<Double> values() {
        return List.copyOf(values);
    }
}

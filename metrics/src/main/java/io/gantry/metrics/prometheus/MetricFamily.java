package io.gantry.metrics.prometheus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One metric of the Prometheus text format: a name, a type, a help text and its samples, each with its labels — single
 * values ({@link Point}) for counters, gauges and untyped metrics, {@link Distribution}s for histograms and summaries.
 * Valid once built: names follow the format's grammar, no two samples have the same labels, and a family holds only
 * the kind of sample its type has.
 */
public record MetricFamily(String name, Type type, String help, List<Point> points, List<Distribution> distributions) {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /**
     * The metric types Gantry serves; {@code UNKNOWN} is an untyped metric, {@code HISTOGRAM} and {@code SUMMARY} come
     * from containers' own metrics.
     */
    public enum Type {
        COUNTER, GAUGE, UNKNOWN, HISTOGRAM, SUMMARY;

        /** Whether its samples are {@link Distribution}s rather than {@link Point}s. */
        public boolean distributed() {
            return this == HISTOGRAM || this == SUMMARY;
        }
    }

    /** A family of single values. */
    public MetricFamily(String name, Type type, String help, List<Point> points) {
        this(name, type, help, points, List.of());
    }

    public MetricFamily {
        if (name == null || !METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        points = List.copyOf(points);
        distributions = List.copyOf(distributions);
        if (type.distributed() ? !points.isEmpty() : !distributions.isEmpty()) {
            throw new IllegalArgumentException("a " + type + " family holds only "
                    + (type.distributed() ? "distributions" : "single values") + ": " + name);
        }
        for (Distribution d : distributions) {
            if (d.buckets().isEmpty() == (type == Type.HISTOGRAM) || (type == Type.HISTOGRAM && !d.quantiles().isEmpty())) {
                throw new IllegalArgumentException("a " + type + " of " + name + " with "
                        + d.buckets().size() + " buckets and " + d.quantiles().size() + " quantiles");
            }
        }
        Set<Map<String, String>> seen = new java.util.HashSet<>();
        for (Point p : points) {
            if (!seen.add(p.labels())) {
                throw new IllegalArgumentException(name + " has two samples with labels " + p.labels());
            }
        }
        for (Distribution d : distributions) {
            if (!seen.add(d.labels())) {
                throw new IllegalArgumentException(name + " has two samples with labels " + d.labels());
            }
        }
    }

    /** A histogram's bucket: its upper bound ({@code le}) and the cumulative count of observations up to it. */
    public record Bucket(double upperBound, long cumulativeCount) {
        public Bucket {
            if (Double.isNaN(upperBound) || cumulativeCount < 0) {
                throw new IllegalArgumentException("a bucket le=" + upperBound + " with count " + cumulativeCount);
            }
        }
    }

    /** A summary's quantile ({@code 0 ≤ quantile ≤ 1}) and its value. */
    public record Quantile(double quantile, double value) {
        public Quantile {
            if (!(quantile >= 0 && quantile <= 1)) {
                throw new IllegalArgumentException("a quantile must lie between 0 and 1: " + quantile);
            }
        }
    }

    /**
     * One histogram or summary: its labels (never {@code le} or {@code quantile}, which the format adds), the count of
     * observations, their sum ({@code NaN} when not given), and its buckets (a histogram: upper bounds ascending,
     * counts never falling, the last {@code +Inf} holding {@code count}) or quantiles (a summary: ascending).
     */
    public record Distribution(Map<String, String> labels, long count, double sum, List<Bucket> buckets,
                               List<Quantile> quantiles) {
        public Distribution {
            labels = new Point(labels, 0).labels();
            if (labels.containsKey("le") || labels.containsKey("quantile")) {
                throw new IllegalArgumentException("le and quantile are the format's own labels: " + labels);
            }
            if (count < 0) {
                throw new IllegalArgumentException("a negative count: " + count);
            }
            buckets = List.copyOf(buckets);
            quantiles = List.copyOf(quantiles);
            for (int i = 1; i < buckets.size(); i++) {
                Bucket before = buckets.get(i - 1);
                Bucket b = buckets.get(i);
                if (!(b.upperBound() > before.upperBound())) {
                    throw new IllegalArgumentException("bucket le=" + b.upperBound() + " after le="
                            + before.upperBound() + ": the bounds must ascend");
                }
                if (b.cumulativeCount() < before.cumulativeCount()) {
                    throw new IllegalArgumentException("bucket le=" + b.upperBound() + " counts "
                            + b.cumulativeCount() + ", fewer than le=" + before.upperBound() + " ("
                            + before.cumulativeCount() + "): the counts are cumulative");
                }
            }
            if (!buckets.isEmpty()) {
                Bucket last = buckets.get(buckets.size() - 1);
                if (last.upperBound() != Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException("no bucket le=\"+Inf\"");
                }
                if (last.cumulativeCount() != count) {
                    throw new IllegalArgumentException("the count " + count + " is not the +Inf bucket's "
                            + last.cumulativeCount());
                }
            }
            for (int i = 1; i < quantiles.size(); i++) {
                if (!(quantiles.get(i).quantile() > quantiles.get(i - 1).quantile())) {
                    throw new IllegalArgumentException("quantile " + quantiles.get(i).quantile() + " after "
                            + quantiles.get(i - 1).quantile() + ": the quantiles must ascend");
                }
            }
        }
    }

    /** A family being filled with points. */
    public static Builder builder(String name, Type type, String help) {
        return new Builder(name, type, help);
    }

    /** One sample: label name → value (in the order given), and the value. */
    public record Point(Map<String, String> labels, double value) {
        public Point {
            Map<String, String> copy = new LinkedHashMap<>();
            labels.forEach((k, v) -> {
                if (k == null || !LABEL_NAME.matcher(k).matches() || k.startsWith("__")) {
                    throw new IllegalArgumentException("not a Prometheus label name: " + k);
                }
                copy.put(k, Objects.requireNonNull(v, k));
            });
            labels = Collections.unmodifiableMap(copy);
        }
    }

    /** Collects the points of one family. */
    public static final class Builder {
        private final String name;
        private final Type type;
        private final String help;
        private final List<Point> points = new ArrayList<>();
        private final List<Distribution> distributions = new ArrayList<>();

        private Builder(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        public Builder add(Map<String, String> labels, double value) {
            points.add(new Point(labels, value));
            return this;
        }

        public Builder add(Distribution distribution) {
            distributions.add(distribution);
            return this;
        }

        public Builder add(double value) {
            return add(Map.of(), value);
        }

        public MetricFamily build() {
            return new MetricFamily(name, type, help, points, distributions);
        }
    }
}

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
 * One metric of the Prometheus text format: a name, a type, a help text and its samples, each with its labels. Valid
 * once built: names follow the format's grammar and no two samples have the same labels.
 */
public record MetricFamily(String name, Type type, String help, List<Point> points) {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** The metric types Gantry uses; {@code UNKNOWN} is an untyped metric a container exposes about itself. */
    public enum Type { COUNTER, GAUGE, UNKNOWN }

    public MetricFamily {
        if (name == null || !METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        points = List.copyOf(points);
        Set<Map<String, String>> seen = new java.util.HashSet<>();
        for (Point p : points) {
            if (!seen.add(p.labels())) {
                throw new IllegalArgumentException(name + " has two samples with labels " + p.labels());
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

        private Builder(String name, Type type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        public Builder add(Map<String, String> labels, double value) {
            points.add(new Point(labels, value));
            return this;
        }

        public Builder add(double value) {
            return add(Map.of(), value);
        }

        public MetricFamily build() {
            return new MetricFamily(name, type, help, points);
        }
    }
}

package io.gantry.metrics.own;

import io.gantry.metrics.prometheus.MetricFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a histogram's or summary's samples ({@code _bucket{le=…}}, {@code _sum}, {@code _count}, or
 * {@code {quantile=…}}) into validated {@link MetricFamily.Distribution}s, one per label set: every {@code le} and
 * {@code quantile} a number, the bucket counts whole and never falling as {@code le} rises, a {@code +Inf} bucket whose
 * count is {@code _count}, quantiles between 0 and 1, and no sample that belongs to neither form.
 */
final class Distributions {

    private Distributions() {
    }

    /** One label set's parts as they are read. */
    private static final class Parts {
        final TreeMap<Double, Long> buckets = new TreeMap<>();
        final TreeMap<Double, Double> quantiles = new TreeMap<>();
        Double sum;
        Long count;
    }

    /** The family's distributions; {@code family} is a {@code histogram} or a {@code summary}. */
    static List<MetricFamily.Distribution> of(Exposition.Family family) throws Exposition.MalformedException {
        boolean histogram = family.type().equals("histogram");
        String name = family.name();
        Map<Map<String, String>, Parts> byLabels = new LinkedHashMap<>();
        for (Exposition.Sample s : family.samples()) {
            Map<String, String> labels = new TreeMap<>(s.labels());
            String sample = s.name();
            if (sample.equals(name + "_sum")) {
                parts(byLabels, labels).sum = s.value();
            } else if (sample.equals(name + "_count")) {
                parts(byLabels, labels).count = whole(s.value(), sample, labels);
            } else if (histogram && sample.equals(name + "_bucket")) {
                String le = labels.remove("le");
                if (le == null) {
                    throw problem(sample + labels + " has no le label");
                }
                double bound = number(le, "le", sample, labels);
                if (parts(byLabels, labels).buckets.put(bound, whole(s.value(), sample, labels)) != null) {
                    throw problem(sample + labels + " has two buckets le=\"" + le + "\"");
                }
            } else if (!histogram && sample.equals(name)) {
                String q = labels.remove("quantile");
                if (q == null) {
                    throw problem(sample + labels + " has no quantile label");
                }
                double quantile = number(q, "quantile", sample, labels);
                if (!(quantile >= 0 && quantile <= 1)) {
                    throw problem(sample + labels + ": quantile \"" + q + "\" is not between 0 and 1");
                }
                if (parts(byLabels, labels).quantiles.put(quantile, s.value()) != null) {
                    throw problem(sample + labels + " has two quantiles \"" + q + "\"");
                }
            } else {
                throw problem(sample + " is not a sample of the " + family.type() + " " + name + " (expected "
                        + (histogram ? name + "_bucket, " : name + "{quantile=…}, ") + name + "_sum or " + name
                        + "_count)");
            }
        }
        List<MetricFamily.Distribution> out = new ArrayList<>();
        for (Map.Entry<Map<String, String>, Parts> e : byLabels.entrySet()) {
            out.add(distribution(family, histogram, e.getKey(), e.getValue()));
        }
        return out;
    }

    private static MetricFamily.Distribution distribution(Exposition.Family family, boolean histogram,
                                                          Map<String, String> labels, Parts p)
            throws Exposition.MalformedException {
        String what = family.type() + " " + family.name() + labels;
        if (histogram && p.buckets.isEmpty()) {
            throw problem(what + " has no buckets");
        }
        if (histogram && !p.buckets.containsKey(Double.POSITIVE_INFINITY)) {
            throw problem(what + " has no bucket le=\"+Inf\"");
        }
        long count = p.count != null ? p.count : histogram ? p.buckets.lastEntry().getValue() : -1;
        if (count < 0) {
            throw problem(what + " has no " + family.name() + "_count");
        }
        List<MetricFamily.Bucket> buckets = new ArrayList<>();
        p.buckets.forEach((le, n) -> buckets.add(new MetricFamily.Bucket(le, n)));
        List<MetricFamily.Quantile> quantiles = new ArrayList<>();
        p.quantiles.forEach((q, v) -> quantiles.add(new MetricFamily.Quantile(q, v)));
        try {
            return new MetricFamily.Distribution(labels, count, p.sum == null ? Double.NaN : p.sum, buckets,
                    quantiles);
        } catch (IllegalArgumentException e) {
            throw problem(what + ": " + e.getMessage());
        }
    }

    private static Parts parts(Map<Map<String, String>, Parts> byLabels, Map<String, String> labels) {
        return byLabels.computeIfAbsent(new TreeMap<>(labels), k -> new Parts());
    }

    private static long whole(double value, String sample, Map<String, String> labels)
            throws Exposition.MalformedException {
        if (!(value >= 0) || Double.isInfinite(value) || value != Math.rint(value) || value > Long.MAX_VALUE) {
            throw problem(sample + labels + " counts " + value + ", not a whole number of observations");
        }
        return (long) value;
    }

    private static double number(String text, String label, String sample, Map<String, String> labels)
            throws Exposition.MalformedException {
        try {
            return Exposition.number(text.strip(), 0);
        } catch (Exposition.MalformedException e) {
            throw problem(sample + labels + ": " + label + "=\"" + text + "\" is not a number");
        }
    }

    private static Exposition.MalformedException problem(String why) {
        return new Exposition.MalformedException(0, why);
    }
}

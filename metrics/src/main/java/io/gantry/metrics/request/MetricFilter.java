package io.gantry.metrics.request;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a request's {@code filter}: an originator ({@code Container:<id>}; empty matches every originator)
 * and measurement id patterns ({@code cpu.*}, {@code memory}, {@code memory.used}; none matches every measurement),
 * as reference/kanto-things.md §3.4 defines them.
 */
public record MetricFilter(List<String> ids, String originator) {

    public MetricFilter {
        ids = List.copyOf(ids);
        Objects.requireNonNull(originator, "originator");
    }

    public static MetricFilter of(String originator, String... ids) {
        return new MetricFilter(List.of(ids), originator);
    }

    /** Kanto's originator test: equal, or this filter names no originator. */
    public boolean appliesTo(String dataOriginator) {
        return originator.isEmpty() || originator.equals(dataOriginator);
    }

    /**
     * Kanto's id test: no ids, an equal id, or an id that starts with a pattern once every {@code *} is stripped from
     * both of its ends ({@code cpu.*} is the prefix {@code cpu.}; the empty pattern matches everything).
     */
    public boolean selects(String dataId) {
        if (ids.isEmpty()) {
            return true;
        }
        for (String pattern : ids) {
            if (pattern.equals(dataId) || dataId.startsWith(stripStars(pattern))) {
                return true;
            }
        }
        return false;
    }

    private static String stripStars(String pattern) {
        int start = 0;
        int end = pattern.length();
        while (start < end && pattern.charAt(start) == '*') {
            start++;
        }
        while (end > start && pattern.charAt(end - 1) == '*') {
            end--;
        }
        return pattern.substring(start, end);
    }
}

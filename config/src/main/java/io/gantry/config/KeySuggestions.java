package io.gantry.config;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Explains an unknown key: a Kanto key with no place in Gantry gets its own hint, a typo gets the nearest known key
 * (edit distance, after turning {@code brokerUrl} or {@code Broker-URL} into {@code broker_url}), and a known key in
 * the wrong section gets its full path.
 */
final class KeySuggestions {

    // Keys of Kanto's container-management config.json (reference/kanto-cua.md §5) that an operator may carry over.
    private static final Map<String, String> KANTO = Map.ofEntries(
            Map.entry("things.home_dir", "Kanto's key; Gantry keeps its state under state_dir"),
            Map.entry("deployment.home_dir", "Kanto's key; Gantry keeps its state under state_dir"),
            Map.entry("deployment.ctr_dir", "Kanto's name; Gantry calls it deployment.directory"),
            Map.entry("connection.disconnect_timeout", "Kanto's key; Gantry does not use it"),
            Map.entry("log.log_file_max_age", "Kanto's key; Gantry keeps log_file_count files instead"),
            Map.entry("log.syslog", "Kanto's key; Gantry logs to stdout (journald) or to log_file"),
            Map.entry("manager", "Kanto's section; the stop timeout is engine.default_stop_timeout"),
            Map.entry("containers", "Kanto's section; registry settings are under registries, keyed by host"),
            Map.entry("network", "Kanto's section; the Docker Engine manages networks"),
            Map.entry("grpc_server", "Kanto's section; Gantry has no gRPC server"));

    private KeySuggestions() {
    }

    /** The message for an unknown {@code key} inside the object at {@code parent} whose keys are {@code known}. */
    static String unknownKey(String parent, String key, Collection<String> known) {
        String path = parent.isEmpty() ? key : parent + "." + key;
        String hint = KANTO.get(path);
        if (hint != null) {
            return "unknown key (" + hint + ")";
        }
        Optional<String> near = nearest(key, known);
        if (near.isPresent()) {
            return "unknown key (did you mean " + near.get() + "?)";
        }
        String typed = normalise(key);
        List<String> elsewhere = ConfigTree.allPaths().stream()
                .filter(other -> other.endsWith("." + typed) || other.equals(typed)).toList();
        if (elsewhere.size() == 1) {
            return "unknown key here (did you mean " + elsewhere.get(0) + "?)";
        }
        return "unknown key (expected one of: " + String.join(", ", known) + ")";
    }

    /** The known word closest to {@code typed}, if it is close enough to be a typo of it. */
    static Optional<String> nearest(String typed, Collection<String> known) {
        String t = normalise(typed);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(t, normalise(k));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int limit = t.length() <= 4 ? 1 : t.length() <= 10 ? 2 : 3;
        return bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** {@code brokerURL}, {@code Broker-URL} and {@code broker url} all become {@code broker_url}. */
    static String normalise(String key) {
        String s = key.trim().replace('-', '_').replace(' ', '_');
        boolean mixed = !s.equals(s.toLowerCase(Locale.ROOT)) && !s.equals(s.toUpperCase(Locale.ROOT));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (mixed && i > 0 && Character.isUpperCase(ch)
                    && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)))) {
                out.append('_');
            }
            out.append(ch);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

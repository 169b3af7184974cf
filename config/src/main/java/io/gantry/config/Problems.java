package io.gantry.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found so far while reading one configuration, in the order they were found. */
final class Problems {

    private final List<ConfigProblem> found = new ArrayList<>();

    void add(String path, String message) {
        found.add(new ConfigProblem(path, message));
    }

    int size() {
        return found.size();
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<ConfigProblem> list() {
        return List.copyOf(found);
    }

    /**
     * The problems in the order of the keys in the default file, so that type problems (found while reading) and
     * meaning problems (found after) about one section stand together; unknown keys sort with their section.
     */
    List<ConfigProblem> inFileOrder() {
        List<String> order = ConfigTree.allPaths();
        List<ConfigProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(p -> position(order, p.path())));
        return List.copyOf(sorted);
    }

    /** Twice the index of a known key; twice the index of its section's last key, plus one, for an unknown key. */
    private static int position(List<String> order, String path) {
        // registries["a.b"].credentials.user_id -> registries.<host>.credentials.user_id; features[2] -> features
        String key = path.replaceAll("^registries\\[\"(?:[^\"\\\\]|\\\\.)*\"]", "registries.<host>")
                .replaceAll("\\[\\d+]", "").replaceAll("\\[\"(.*)\"]", ".$1");
        if (order.contains(key)) {
            return 2 * order.indexOf(key);
        }
        while (!key.isEmpty()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                if (order.get(i).equals(key) || order.get(i).startsWith(key + ".")) {
                    return 2 * i + 1;
                }
            }
            int dot = key.lastIndexOf('.');
            key = dot < 0 ? "" : key.substring(0, dot);
        }
        return path.isEmpty() ? -1 : 2 * order.size();
    }

    /**
     * True when {@code path}, a key inside it, or a section around it already has a problem: its value is then a
     * default stand-in, and a rule that reads it would report nonsense.
     */
    boolean touches(String path) {
        for (ConfigProblem p : found) {
            if (p.path().isEmpty() || p.path().equals(path) || within(p.path(), path) || within(path, p.path())) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(String inner, String outer) {
        return inner.startsWith(outer + ".") || inner.startsWith(outer + "[");
    }
}

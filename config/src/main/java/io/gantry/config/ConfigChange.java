package io.gantry.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changed between two configurations, as the JSON paths of the keys that differ
 * ({@code connection.broker_url}, {@code registries["myreg:5000"].credentials.password}, or {@code registries["new"]}
 * for a whole entry added or removed; a list is one path). Paths never carry values, so a change can be logged.
 *
 * <p>{@link #LIVE} says which keys Gantry applies to a running agent; any other change takes effect at the next
 * start (docs/configuration.md, "Changing the file while Gantry runs").
 */
public record ConfigChange(AgentConfig previous, AgentConfig current, Set<String> paths) {

    /**
     * The keys (and sections, by prefix) applied without a restart: issue 6's list — log level, system containers,
     * registry credentials, metrics defaults, deployment settings, the broker connection (by a reconnect and a full
     * twin resync) — plus the twin's and the update agent's settings, which those components apply themselves, and
     * the per-operation engine settings that are read at each use, and the Prometheus endpoint (served again on the
     * new address).
     */
    public static final Set<String> LIVE = Set.of(
            "log.log_level",
            "connection",
            "things",
            "update_agent",
            "metrics.min_frequency", "metrics.prometheus", "metrics.own",
            "engine.default_stop_timeout", "engine.pull_retries", "engine.pull_stall_timeout",
            "engine.min_free_space", "engine.image_expiry_disable", "engine.image_keep_previous",
            "registries",
            "deployment",
            "policy", "trust",
            "time_sync");

    public ConfigChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        paths = Collections.unmodifiableSet(new LinkedHashSet<>(paths));
    }

    /** The difference from {@code previous} to {@code current}. */
    public static ConfigChange between(AgentConfig previous, AgentConfig current) {
        Set<String> paths = new LinkedHashSet<>();
        diff(previous, current, "", paths);
        return new ConfigChange(previous, current, paths);
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /** True when the key at {@code path}, or anything inside the section at {@code path}, changed. */
    public boolean changed(String path) {
        return paths.stream().anyMatch(p -> covers(path, p));
    }

    /** The top-level sections that changed: {@code connection}, {@code registries}, {@code state_dir}, … */
    public Set<String> sections() {
        Set<String> sections = new TreeSet<>();
        for (String p : paths) {
            int end = 0;
            while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                end++;
            }
            sections.add(p.substring(0, end));
        }
        return sections;
    }

    /** The changed paths that a running agent applies. */
    public Set<String> live() {
        Set<String> live = new LinkedHashSet<>();
        paths.stream().filter(ConfigChange::isLive).forEach(live::add);
        return live;
    }

    /** The changed paths that take effect only after a restart. */
    public Set<String> needingRestart() {
        Set<String> restart = new LinkedHashSet<>();
        paths.stream().filter(p -> !isLive(p)).forEach(restart::add);
        return restart;
    }

    public boolean requiresRestart() {
        return !needingRestart().isEmpty();
    }

    @Override
    public String toString() {
        return paths.isEmpty() ? "no change" : String.join(", ", paths);
    }

    private static boolean isLive(String path) {
        return LIVE.stream().anyMatch(prefix -> covers(prefix, path));
    }

    private static boolean covers(String prefix, String path) {
        return path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
    }

    private static void diff(Object before, Object after, String path, Set<String> out) {
        if (Objects.equals(before, after)) {
            return;
        }
        if (before != null && after != null && ConfigTree.isSection(before.getClass())) {
            for (ConfigTree.Key key : ConfigTree.keys(before.getClass())) {
                diff(key.valueIn(before), key.valueIn(after), ConfigTree.child(path, key.name()), out);
            }
        } else if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            Set<Object> keys = new TreeSet<>();
            keys.addAll(b.keySet());
            keys.addAll(a.keySet());
            for (Object key : keys) {
                String entry = ConfigTree.entry(path, key.toString());
                if (b.containsKey(key) && a.containsKey(key)) {
                    diff(b.get(key), a.get(key), entry, out);
                } else {
                    out.add(entry);
                }
            }
        } else {
            out.add(path);
        }
    }
}

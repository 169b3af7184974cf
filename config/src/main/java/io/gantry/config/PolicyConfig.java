package io.gantry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a container Gantry creates may ask of the host: privileges, the host's network namespace, devices, GPUs, OCI
 * runtimes and bind mounts of host paths. The defaults allow everything, as Gantry did before the section existed; an
 * operator tightens by setting keys to {@code false} or narrowing the lists. Entries of {@code host_paths} are read by
 * {@link #hostPathRules()} and checked for their form by {@link ConfigRules}.
 */
public record PolicyConfig(boolean privileged, boolean hostNetwork, boolean devices, boolean gpus,
                           List<String> runtimes, List<String> hostPaths) {

    /** In {@code runtimes}: any runtime. */
    public static final String ANY_RUNTIME = "*";
    public static final PolicyConfig DEFAULTS = new PolicyConfig(true, true, true, true, List.of(ANY_RUNTIME),
            List.of("/"));

    public PolicyConfig {
        runtimes = List.copyOf(runtimes);
        hostPaths = List.copyOf(hostPaths);
    }

    /** Whether {@code runtime} may be asked for; the engine's default runtime ({@code ""}) always may. */
    public boolean runtimeAllowed(String runtime) {
        return runtime.isEmpty() || runtimes.contains(ANY_RUNTIME) || runtimes.contains(runtime);
    }

    /** The {@code host_paths} entries that have a valid form; {@link ConfigRules} reports the others. */
    public List<HostPathRule> hostPathRules() {
        return hostPaths.stream().map(HostPathRule::parse).flatMap(Optional::stream).toList();
    }

    /**
     * One {@code host_paths} entry: {@code /prefix} allows bind mounts of that path and everything below it,
     * {@code /prefix:ro} only read-only ones. A prefix matches whole path components ({@code /srv} covers
     * {@code /srv/app}, not {@code /srvx}).
     */
    public record HostPathRule(Path prefix, boolean readOnlyOnly) {

        /** The entry's rule, or empty when it is not {@code <absolute path>[:ro|:rw]} without {@code ..}. */
        public static Optional<HostPathRule> parse(String entry) {
            String text = entry.trim();
            boolean readOnly = false;
            int colon = text.lastIndexOf(':');
            if (colon >= 0) {
                String option = text.substring(colon + 1).toLowerCase(Locale.ROOT);
                if (!option.equals("ro") && !option.equals("rw")) {
                    return Optional.empty();
                }
                readOnly = option.equals("ro");
                text = text.substring(0, colon);
            }
            if (!text.startsWith("/") || List.of(text.split("/")).contains("..")) {
                return Optional.empty();
            }
            try {
                return Optional.of(new HostPathRule(Path.of(text).normalize(), readOnly));
            } catch (java.nio.file.InvalidPathException e) {
                return Optional.empty();
            }
        }

        /** Whether a bind mount of {@code source} (absolute), read-only or not, is covered by this rule. */
        public boolean allows(Path source, boolean readOnly) {
            return source.normalize().startsWith(prefix) && (readOnly || !readOnlyOnly);
        }

        @Override
        public String toString() {
            return prefix + (readOnlyOnly ? ":ro" : "");
        }
    }
}

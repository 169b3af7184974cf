package io.gantry.metrics.sampling;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the host's cgroup tree and process table are mounted. On the engine's host these are {@code /sys/fs/cgroup}
 * and {@code /proc}; a Gantry that runs in a container sees the host's under whatever paths they are mounted at
 * (e.g. {@code -v /sys/fs/cgroup:/host/cgroup:ro -v /proc:/host/proc:ro --pid host}).
 */
public record HostPaths(Path cgroupRoot, Path procRoot) {

    public static final HostPaths DEFAULT = new HostPaths(Path.of("/sys/fs/cgroup"), Path.of("/proc"));
    /** Environment variable that moves the cgroup root. */
    public static final String CGROUP_ROOT_VARIABLE = "GANTRY_HOST_CGROUP";
    /** Environment variable that moves the proc root. */
    public static final String PROC_ROOT_VARIABLE = "GANTRY_HOST_PROC";

    public HostPaths {
        Objects.requireNonNull(cgroupRoot, "cgroupRoot");
        Objects.requireNonNull(procRoot, "procRoot");
    }

    /** The defaults, each replaced by its environment variable when that is set and not blank. */
    public static HostPaths fromEnvironment(Map<String, String> environment) {
        return new HostPaths(pathOr(environment.get(CGROUP_ROOT_VARIABLE), DEFAULT.cgroupRoot),
                pathOr(environment.get(PROC_ROOT_VARIABLE), DEFAULT.procRoot));
    }

    private static Path pathOr(String value, Path fallback) {
        return value == null || value.isBlank() ? fallback : Path.of(value.trim());
    }
}

package io.gantry.metrics.sampling;

import io.gantry.core.container.ContainerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a container's cgroup directories on the host, for cgroup v1 and v2, for Docker's {@code cgroupfs} and
 * {@code systemd} drivers and for rootful Podman's. The cgroup named in {@code /proc/<pid>/cgroup} of the container's main process wins,
 * because it is right for any {@code --cgroup-parent}; it is trusted only if it names the container's id, which also
 * proves that the pid belongs to the container (a Gantry in another pid namespace, or a remote engine, sees other
 * processes under the same numbers). Without it, the drivers' conventional paths are tried.
 */
public final class CgroupLocator {

    private static final Logger LOG = LoggerFactory.getLogger(CgroupLocator.class);

    /** Which cgroup version the host runs, as far as the mounted tree shows. */
    public enum Version { V1, V2, NONE }

    private final HostPaths paths;
    private final Version version;
    /** cgroup v1: controller name → the directory where that controller's hierarchy is mounted. */
    private final Map<String, Path> v1Mounts;

    private CgroupLocator(HostPaths paths, Version version, Map<String, Path> v1Mounts) {
        this.paths = paths;
        this.version = version;
        this.v1Mounts = Map.copyOf(v1Mounts);
    }

    /**
     * Looks at the cgroup root once: a {@code cgroup.controllers} file there means the unified v2 tree; directories
     * named by controllers ({@code memory}, {@code cpu,cpuacct}, …) mean v1, including the hybrid layout whose
     * {@code unified} directory Docker does not use.
     */
    public static CgroupLocator detect(HostPaths paths) {
        Path root = paths.cgroupRoot();
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            return new CgroupLocator(paths, Version.V2, Map.of());
        }
        Map<String, Path> mounts = new HashMap<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path dir : dirs) {
                    for (String controller : dir.getFileName().toString().split(",")) {
                        // A real mount ("cpu,cpuacct") and its symlinks ("cpuacct") point at the same tree.
                        mounts.putIfAbsent(controller, dir);
                    }
                }
            } catch (IOException e) {
                LOG.info("Cannot list the cgroup root {} ({}); container figures come from the engine's API", root,
                        e.toString());
            }
        }
        if (mounts.containsKey("cpuacct") && mounts.containsKey("memory")) {
            return new CgroupLocator(paths, Version.V1, mounts);
        }
        return new CgroupLocator(paths, Version.NONE, Map.of());
    }

    /** A locator that finds nothing: every container is read through the engine's API. */
    public static CgroupLocator none() {
        return new CgroupLocator(HostPaths.DEFAULT, Version.NONE, Map.of());
    }

    public Version version() {
        return version;
    }

    /**
     * The files that hold a container's figures, or nothing when the kernel path cannot serve it (no cgroup tree,
     * a cgroup that is not there, or a network namespace that cannot be read); the engine's API serves it then.
     */
    public Optional<ContainerFiles> locate(ContainerId id, long pid, boolean hostNetwork) {
        if (version == Version.NONE) {
            return Optional.empty();
        }
        Map<String, String> own = pid > 0 ? procCgroups(pid) : Map.of();
        boolean pidIsContainers = own.values().stream().anyMatch(p -> p.contains(id.value()));
        Optional<CgroupDirs> dirs = pidIsContainers ? fromProc(own) : Optional.empty();
        if (dirs.isEmpty()) {
            dirs = fromConventions(id);
        }
        if (dirs.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> netDev = Optional.empty();
        if (!hostNetwork) {
            Path file = paths.procRoot().resolve(Long.toString(pid)).resolve("net").resolve("dev");
            if (!pidIsContainers || !Files.isReadable(file)) {
                return Optional.empty();
            }
            netDev = Optional.of(file);
        }
        return Optional.of(new ContainerFiles(dirs.get(), netDev));
    }

    /** {@code /proc/<pid>/cgroup}: controller → path (v1), or {@code ""} → path for the v2 line {@code 0::/…}. */
    private Map<String, String> procCgroups(long pid) {
        Path file = paths.procRoot().resolve(Long.toString(pid)).resolve("cgroup");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                out.put("", parts[2]);
            } else {
                for (String controller : parts[1].split(",")) {
                    out.put(controller, parts[2]);
                }
            }
        }
        return out;
    }

    private Optional<CgroupDirs> fromProc(Map<String, String> own) {
        if (version == Version.V2) {
            return Optional.ofNullable(own.get("")).flatMap(p -> under(paths.cgroupRoot(), p)).map(CgroupDirs.V2::new);
        }
        Optional<Path> cpuacct = v1Dir(own, "cpuacct");
        Optional<Path> memory = v1Dir(own, "memory");
        if (cpuacct.isEmpty() || memory.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CgroupDirs.V1(cpuacct.get(), memory.get(), v1Dir(own, "blkio"), v1Dir(own, "pids")));
    }

    private Optional<Path> v1Dir(Map<String, String> own, String controller) {
        Path mount = v1Mounts.get(controller);
        String cgroup = own.get(controller);
        return mount == null || cgroup == null ? Optional.empty() : under(mount, cgroup);
    }

    /** {@code base} + the cgroup path, if that stays inside {@code base} and is a directory. */
    private static Optional<Path> under(Path base, String cgroup) {
        String relative = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
        Path dir = base.resolve(relative).normalize();
        return dir.startsWith(base.normalize()) && Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * Docker's layouts, {@code docker/<id>} (cgroupfs driver) and {@code system.slice/docker-<id>.scope} (systemd), and
     * rootful Podman's, {@code libpod_parent/libpod-<id>} (cgroupfs) and {@code machine.slice/libpod-<id>.scope}.
     */
    private Optional<CgroupDirs> fromConventions(ContainerId id) {
        List<String> candidates = List.of("docker/" + id.value(), "system.slice/docker-" + id.value() + ".scope",
                "libpod_parent/libpod-" + id.value(), "machine.slice/libpod-" + id.value() + ".scope");
        for (String candidate : candidates) {
            if (version == Version.V2) {
                Optional<Path> dir = under(paths.cgroupRoot(), candidate);
                if (dir.isPresent()) {
                    return Optional.of(new CgroupDirs.V2(dir.get()));
                }
                continue;
            }
            Optional<Path> cpuacct = under(v1Mounts.get("cpuacct"), candidate);
            Optional<Path> memory = under(v1Mounts.get("memory"), candidate);
            if (cpuacct.isPresent() && memory.isPresent()) {
                Optional<Path> blkio = Optional.ofNullable(v1Mounts.get("blkio")).flatMap(m -> under(m, candidate));
                Optional<Path> pids = Optional.ofNullable(v1Mounts.get("pids")).flatMap(m -> under(m, candidate));
                return Optional.of(new CgroupDirs.V1(cpuacct.get(), memory.get(), blkio, pids));
            }
        }
        return Optional.empty();
    }
}

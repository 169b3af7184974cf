package io.gantry.metrics.own;

import io.gantry.core.container.Container;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Protocol;
import io.gantry.core.provided.ProvidingEngine;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * Where a container's own metrics are read, from its labels: {@code gantry.metrics.dir} (the directory Gantry provided
 * to it, {@link ProvidingEngine}; the file is {@code metrics.prom} there, or {@code gantry.metrics.file} under it),
 * {@code gantry.metrics.file} (the path of the file inside
 * the container, which must be under a bind mount of a host directory) or {@code gantry.metrics.port} (a TCP port the
 * container serves {@code gantry.metrics.path}, default {@code /metrics}, on: published on the host, or the host's
 * own with host networking). Either a file on the host or an HTTP URL; built only through {@link #of}.
 */
public sealed interface OwnMetricsTarget {

    String FILE_LABEL = "gantry.metrics.file";
    String PORT_LABEL = "gantry.metrics.port";
    String PATH_LABEL = "gantry.metrics.path";
    String DIR_LABEL = ProvidingEngine.METRICS_LABEL;
    /** The file in a provided metrics directory when {@link #FILE_LABEL} does not name one. */
    String DEFAULT_FILE = "metrics.prom";

    /**
     * A file the container writes, as the host sees it, and the host directory of the bind mount it is under: the
     * file is read only when its real path stays inside that directory (a symbolic link the container plants must
     * not make Gantry read a host file the container cannot).
     */
    record File(Path hostPath, Path mountSource) implements OwnMetricsTarget {
    }

    /** An HTTP URL that serves the exposition. */
    record Http(URI url) implements OwnMetricsTarget {
    }

    /** What {@link #of} found: no labels (nothing to collect), a target, or a problem to report. */
    record Resolved(Optional<OwnMetricsTarget> target, Optional<String> problem) {
    }

    /** The target a container's labels name; {@code stateDir} holds the directories Gantry provides. */
    static Resolved of(Container container, Path stateDir) {
        Optional<String> file = Optional.ofNullable(container.spec().labels().get(FILE_LABEL));
        Optional<String> port = Optional.ofNullable(container.spec().labels().get(PORT_LABEL));
        Optional<String> dir = Optional.ofNullable(container.spec().labels().get(DIR_LABEL));
        if (file.isEmpty() && port.isEmpty() && dir.isEmpty()) {
            return new Resolved(Optional.empty(), Optional.empty());
        }
        if ((file.isPresent() || dir.isPresent()) && port.isPresent()) {
            return problem("both " + (dir.isPresent() ? DIR_LABEL : FILE_LABEL) + " and " + PORT_LABEL
                    + " are set; set one");
        }
        if (dir.isPresent()) {
            return provided(container, dir.get(), file, stateDir);
        }
        return file.isPresent() ? file(container, file.get()) : http(container, port.get());
    }

    /** The file in the directory Gantry made for the container and mounted at {@code inside}. */
    private static Resolved provided(Container container, String inside, Optional<String> file, Path stateDir) {
        Optional<String> key = container.gantryLabel(ProvidingEngine.PROVIDED_METRICS_LABEL);
        if (key.isEmpty()) {
            return problem(DIR_LABEL + " is provided only to containers Gantry creates (this one was created without"
                    + " it, or by hand)");
        }
        Path dir = Path.of(inside);
        Path path;
        try {
            path = Path.of(file.orElse(inside + "/" + DEFAULT_FILE)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return problem(FILE_LABEL + " \"" + file.orElse("") + "\" is not a path");
        }
        if (!path.startsWith(dir) || path.equals(dir) || (file.isPresent() && !file.get().equals(path.toString()))) {
            return problem(FILE_LABEL + " \"" + file.orElse("") + "\" is not a normalised path under " + DIR_LABEL
                    + " " + inside);
        }
        Path source;
        try {
            source = ProvidingEngine.metricsDir(stateDir, key.get());
        } catch (IllegalArgumentException e) {
            return problem(e.getMessage());
        }
        return new Resolved(Optional.of(new File(source.resolve(dir.relativize(path)), source)), Optional.empty());
    }

    private static Resolved file(Container container, String inside) {
        Path path;
        try {
            path = Path.of(inside).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return problem(FILE_LABEL + " \"" + inside + "\" is not a path");
        }
        if (!path.isAbsolute() || !inside.equals(path.toString())) {
            return problem(FILE_LABEL + " \"" + inside + "\" is not an absolute, normalised path in the container");
        }
        // The deepest bind mount that holds the file: what the container writes there is on the host.
        Optional<Mount> mount = container.spec().mounts().stream().filter(m -> !m.isVolume())
                .filter(m -> path.startsWith(Path.of(m.destination())) && !path.equals(Path.of(m.destination())))
                .max(Comparator.comparingInt(m -> Path.of(m.destination()).getNameCount()));
        if (mount.isEmpty()) {
            return problem(FILE_LABEL + " \"" + inside + "\" is under no bind mount of a host directory");
        }
        Path host = Path.of(mount.get().source()).resolve(Path.of(mount.get().destination()).relativize(path));
        return new Resolved(Optional.of(new File(host, Path.of(mount.get().source()))), Optional.empty());
    }

    private static Resolved http(Container container, String portText) {
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65535) {
            return problem(PORT_LABEL + " \"" + portText + "\" is not a port from 1 to 65535");
        }
        String path = container.spec().labels().getOrDefault(PATH_LABEL, "/metrics");
        if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains(" ")) {
            return problem(PATH_LABEL + " \"" + path + "\" is not a URL path (e.g. /metrics)");
        }
        String hostAndPort;
        if (container.spec().network().equals(NetworkMode.HOST)) {
            hostAndPort = "127.0.0.1:" + port;
        } else {
            int wanted = port;
            Optional<PortMapping> published = container.spec().ports().stream()
                    .filter(p -> p.containerPort() == wanted && p.protocol() == Protocol.TCP && !p.isRange())
                    .findFirst();
            if (published.isEmpty()) {
                return problem(PORT_LABEL + " " + port + " is not published on the host (and the container does not"
                        + " use host networking)");
            }
            String ip = published.get().hostIp();
            String host = ip.isEmpty() || ip.equals(PortMapping.ANY_ADDRESS) ? "127.0.0.1"
                    : ip.contains(":") ? "[" + ip + "]" : ip;
            hostAndPort = host + ":" + published.get().hostPort();
        }
        try {
            return new Resolved(Optional.of(new Http(URI.create("http://" + hostAndPort + path))), Optional.empty());
        } catch (IllegalArgumentException e) {
            return problem(PATH_LABEL + " \"" + path + "\" does not make a URL: " + e.getMessage());
        }
    }

    private static Resolved problem(String why) {
        return new Resolved(Optional.empty(), Optional.of(why));
    }
}

package io.gantry.core.provided;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ForwardingEngine;
import io.gantry.core.container.Mount;
import io.gantry.core.container.Propagation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The files Gantry itself provides to the containers it creates that ask for them by label (docs/operations.md,
 * "Time good"; docs/metrics.md, "Containers' own metrics"): {@value #TIME_LABEL} names a directory in the container
 * where Gantry's time-status directory ({@code state_dir/time}) is mounted read-only, and {@value #METRICS_LABEL} one
 * where a directory Gantry makes for this container ({@code state_dir/metrics/<name>}) is mounted read-write, from which
 * Gantry reads the container's own metrics. Every path that creates a container creates it through here.
 *
 * <p>Contract: the labels name only places inside the container; the host side is always Gantry's own directory, so no
 * label can mount a host path of its choosing, and the mounts are Gantry's, not the container's: the policy's
 * {@code host_paths} judges the spec before they are added (this engine sits below the admission check). What was
 * added is recorded in Gantry's labels {@value #PROVIDED_LABEL} and {@value #PROVIDED_METRICS_LABEL}, and taken out of
 * the spec again whenever a container is read, so that the update planner compares what was asked for. The metrics
 * directory is named after the container (its component name while a replacement runs under a temporary name), so a
 * recreated container finds it again; {@link ProvidedCleanup} removes it when no container uses it any more. A label
 * value that is not an absolute, normalised directory other than {@code /}, or that collides with a mount of the
 * spec, fails the create with an {@link IllegalArgumentException} naming the label. Thread-safe.
 */
public final class ProvidingEngine extends ForwardingEngine {

    /** A directory in the container for Gantry's time status (the file is {@code <dir>/.time-status}). */
    public static final String TIME_LABEL = "gantry.time.status";
    /** A directory in the container for its own metrics (the file is {@code <dir>/metrics.prom} by default). */
    public static final String METRICS_LABEL = "gantry.metrics.dir";
    /** The destinations Gantry added, comma-separated. */
    public static final String PROVIDED_LABEL = "io.gantry.provided";
    /** The name of the container's directory under {@code state_dir/metrics}. */
    public static final String PROVIDED_METRICS_LABEL = "io.gantry.provided.metrics";
    /** Under {@code state_dir}: the time-status directory containers may mount. */
    public static final String TIME_DIR = "time";
    /** Under {@code state_dir}: one directory per container that asked for a metrics directory. */
    public static final String METRICS_DIR = "metrics";

    private static final Pattern KEY = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

    private final Path stateDir;

    public ProvidingEngine(ContainerEngine delegate, Path stateDir) {
        super(delegate);
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir").toAbsolutePath().normalize();
    }

    /** The host directory of the container whose {@value #PROVIDED_METRICS_LABEL} is {@code key}. */
    public static Path metricsDir(Path stateDir, String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a provided metrics directory name: " + key);
        }
        return stateDir.resolve(METRICS_DIR).resolve(key);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        Optional<String> time = destination(spec, TIME_LABEL);
        Optional<String> metrics = destination(spec, METRICS_LABEL);
        if (time.isEmpty() && metrics.isEmpty()) {
            return super.create(spec, gantryLabels);
        }
        if (time.isPresent() && time.equals(metrics)) {
            throw new IllegalArgumentException(TIME_LABEL + " and " + METRICS_LABEL + " name the same directory "
                    + time.get());
        }
        List<Mount> mounts = new ArrayList<>(spec.mounts());
        Map<String, String> labels = new HashMap<>(gantryLabels);
        List<String> added = new ArrayList<>();
        if (time.isPresent()) {
            Path dir = directory(stateDir.resolve(TIME_DIR), "rwxr-xr-x");
            mounts.add(new Mount(dir.toString(), time.get(), Propagation.RPRIVATE, true));
            added.add(time.get());
        }
        if (metrics.isPresent()) {
            String key = key(spec, gantryLabels);
            directory(stateDir.resolve(METRICS_DIR), "rwx--x--x");
            // The container's user is not known here: any of them may write its own directory.
            Path dir = directory(metricsDir(stateDir, key), "rwxrwxrwx");
            mounts.add(new Mount(dir.toString(), metrics.get(), Propagation.RPRIVATE, false));
            added.add(metrics.get());
            labels.put(PROVIDED_METRICS_LABEL, key);
        }
        labels.put(PROVIDED_LABEL, String.join(",", added));
        return super.create(spec.toBuilder().mounts(mounts).buildAsReported(), labels);
    }

    @Override
    public List<Container> list() {
        return super.list().stream().map(this::asAsked).toList();
    }

    @Override
    public Optional<Container> inspect(ContainerId id) {
        return super.inspect(id).map(this::asAsked);
    }

    @Override
    public Optional<Container> find(String nameOrId) {
        return super.find(nameOrId).map(this::asAsked);
    }

    /** {@code c} without the mounts Gantry added: its spec as it was asked for. */
    private Container asAsked(Container c) {
        Optional<String> provided = c.gantryLabel(PROVIDED_LABEL);
        if (provided.isEmpty()) {
            return c;
        }
        Set<String> added = Set.copyOf(Arrays.asList(provided.get().split(",")));
        List<Mount> asked = c.spec().mounts().stream()
                .filter(m -> !(added.contains(m.destination()) && Path.of(m.source()).startsWith(stateDir))).toList();
        if (asked.size() == c.spec().mounts().size()) {
            return c;
        }
        ContainerSpec spec = c.spec().toBuilder().mounts(asked).buildAsReported();
        return new Container(c.id(), c.name(), c.image(), c.imageId(), spec, c.state(), c.createdAt(), c.managed(),
                c.gantryLabels());
    }

    /** The directory {@code label} names in the container, checked. */
    private static Optional<String> destination(ContainerSpec spec, String label) {
        String value = spec.labels().get(label);
        if (value == null) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !path.isAbsolute() || !path.normalize().toString().equals(value) || value.equals("/")
                || value.contains(",") || value.length() > 255) {
            throw new IllegalArgumentException("label " + label + " \"" + value + "\" is not an absolute, normalised"
                    + " directory in the container other than /");
        }
        if (spec.mounts().stream().anyMatch(m -> m.destination().equals(value))) {
            throw new IllegalArgumentException("label " + label + " \"" + value + "\" is already the destination of"
                    + " a mount of the container");
        }
        return Optional.of(value);
    }

    /** The container's name as it will be known: the component's name, else its own, else a new one. */
    private static String key(ContainerSpec spec, Map<String, String> gantryLabels) {
        return Optional.ofNullable(gantryLabels.get(Container.COMPONENT_LABEL))
                .or(() -> spec.name().map(ContainerName::value))
                .filter(k -> KEY.matcher(k).matches())
                .orElseGet(() -> "unnamed-" + UUID.randomUUID());
    }

    private static Path directory(Path dir, String mode) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the directory " + dir + " Gantry provides to containers: "
                    + e.getMessage(), e);
        }
    }
}

package io.gantry.core.container;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A mount: a host path bound into the container, or a named volume when {@code source} is not absolute.
 * Propagation applies to bind mounts only.
 */
public record Mount(String source, String destination, Propagation propagation, boolean readOnly)
        implements Comparable<Mount> {

    private static final Pattern VOLUME_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    private static final Comparator<Mount> ORDER = Comparator.comparing(Mount::destination)
            .thenComparing(Mount::source).thenComparing(Mount::propagation).thenComparing(Mount::readOnly);

    public Mount {
        Objects.requireNonNull(propagation, "propagation");
        if (source == null || source.isEmpty() || destination == null || destination.isEmpty()) {
            throw new IllegalArgumentException("source and destination must be set for a mount point");
        }
        if (!destination.startsWith("/")) {
            throw new IllegalArgumentException("mount destination \"" + destination + "\" is not an absolute path");
        }
        if (!source.startsWith("/") && !VOLUME_NAME.matcher(source).matches()) {
            throw new IllegalArgumentException("mount source \"" + source
                    + "\" is neither an absolute host path nor a volume name");
        }
    }

    public static Mount bind(String source, String destination) {
        return new Mount(source, destination, Propagation.RPRIVATE, false);
    }

    /**
     * Reads {@code source:destination[:options]}, where options are a propagation mode (Kanto) and/or {@code ro} /
     * {@code rw} (Docker), separated by commas: {@code /data:/var/lib/db:ro,rshared}.
     */
    public static Mount parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String[] parts = text.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw invalid(text, "expected source:destination[:propagation][,ro]");
        }
        Propagation propagation = Propagation.RPRIVATE;
        boolean readOnly = false;
        if (parts.length == 3) {
            for (String option : parts[2].split(",", -1)) {
                switch (option.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "ro" -> readOnly = true;
                    case "rw" -> readOnly = false;
                    default -> propagation = Propagation.forName(option).orElseThrow(() -> invalid(text,
                            "propagation mode must be set to one of the supported modes"
                                    + " (rprivate, private, rshared, shared, rslave, slave) or ro/rw"));
                }
            }
        }
        try {
            return new Mount(parts[0], parts[1], propagation, readOnly);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid mount \"" + text + "\": " + why);
    }

    public boolean isVolume() {
        return !source.startsWith("/");
    }

    /** Kanto's canonical form {@code src:dst:propagation}, with {@code ,ro} appended for a read-only mount. */
    @Override
    public String toString() {
        return source + ":" + destination + ":" + propagation.wireName() + (readOnly ? ",ro" : "");
    }

    @Override
    public int compareTo(Mount other) {
        return ORDER.compare(this, other);
    }
}

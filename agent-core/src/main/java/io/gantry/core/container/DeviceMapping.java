package io.gantry.core.container;

import java.util.Comparator;
import java.util.regex.Pattern;

/** A host device made available inside the container, with its cgroup permissions ({@code rwm}). */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions)
        implements Comparable<DeviceMapping> {

    // Kanto allows one to three of r, w, m, repeats included (reference/kanto-cua.md §2.4); Docker refuses repeats.
    // Gantry accepts what Kanto accepts and keeps each letter once, in rwm order, so that "wr" equals "rw".
    private static final Pattern PERMISSIONS = Pattern.compile("^[rwm]{1,3}$");
    private static final Comparator<DeviceMapping> ORDER = Comparator.comparing(DeviceMapping::pathInContainer)
            .thenComparing(DeviceMapping::pathOnHost).thenComparing(DeviceMapping::cgroupPermissions);

    public DeviceMapping {
        if (pathOnHost == null || pathOnHost.isEmpty() || pathInContainer == null || pathInContainer.isEmpty()) {
            throw new IllegalArgumentException("both path on the host and in the container must be specified for a device mapping");
        }
        if (!pathOnHost.startsWith("/") || !pathInContainer.startsWith("/")) {
            throw new IllegalArgumentException("device paths must be absolute");
        }
        if (cgroupPermissions == null || !PERMISSIONS.matcher(cgroupPermissions).matches()) {
            throw new IllegalArgumentException("cgroup permissions \"" + cgroupPermissions
                    + "\" must be one to three of r, w, m");
        }
        StringBuilder canonical = new StringBuilder();
        for (char letter : "rwm".toCharArray()) {
            if (cgroupPermissions.indexOf(letter) >= 0) {
                canonical.append(letter);
            }
        }
        cgroupPermissions = canonical.toString();
    }

    /**
     * Reads {@code /dev/host[:/dev/container][:perms]}. Kanto drops one-part and bad-permission values silently;
     * here a single path means the same path inside the container (as in Docker) and bad permissions are an error.
     */
    public static DeviceMapping parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String[] parts = text.trim().split(":", -1);
        if (parts.length > 3) {
            throw invalid(text, "expected /dev/host[:/dev/container[:rwm]]");
        }
        String host = parts[0];
        String container = parts.length >= 2 && !parts[1].isEmpty() ? parts[1] : host;
        String permissions = parts.length == 3 ? parts[2] : "rwm";
        if (parts.length == 2 && !parts[1].startsWith("/") && PERMISSIONS.matcher(parts[1]).matches()) {
            // Docker's /dev/host:perms: a container path is absolute, so "rw" can only be permissions.
            container = host;
            permissions = parts[1];
        }
        try {
            return new DeviceMapping(host, container, permissions);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid device mapping \"" + text + "\": " + why);
    }

    @Override
    public String toString() {
        return pathOnHost + ":" + pathInContainer + ":" + cgroupPermissions;
    }

    @Override
    public int compareTo(DeviceMapping other) {
        return ORDER.compare(this, other);
    }
}

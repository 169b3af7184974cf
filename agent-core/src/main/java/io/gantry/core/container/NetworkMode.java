package io.gantry.core.container;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** The network a container joins: the default bridge, the host's, none, another container's, or a named network. */
public record NetworkMode(Kind kind, String target) {

    public static final NetworkMode BRIDGE = new NetworkMode(Kind.BRIDGE, "");
    public static final NetworkMode HOST = new NetworkMode(Kind.HOST, "");
    public static final NetworkMode NONE = new NetworkMode(Kind.NONE, "");
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    /** The kinds of network mode. */
    public enum Kind { BRIDGE, HOST, NONE, CONTAINER, NAMED }

    public NetworkMode {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        boolean needsTarget = kind == Kind.CONTAINER || kind == Kind.NAMED;
        if (needsTarget == target.isEmpty()) {
            throw new IllegalArgumentException("network mode " + kind + (needsTarget ? " needs" : " takes no") + " target");
        }
    }

    /**
     * Reads {@code bridge}, {@code host}, {@code none}, {@code container:<name|id>} or a network name. Kanto's
     * {@code BRIDGE}/{@code HOST} spellings are accepted too.
     */
    public static NetworkMode parse(String text) {
        String t = text == null ? "" : text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "", "bridge", "default":
                return BRIDGE;
            case "host":
                return HOST;
            case "none":
                return NONE;
            default:
                break;
        }
        if (t.startsWith("container:") && t.length() > "container:".length()) {
            return new NetworkMode(Kind.CONTAINER, t.substring("container:".length()));
        }
        if (NETWORK_NAME.matcher(t).matches()) {
            return new NetworkMode(Kind.NAMED, t);
        }
        throw new IllegalArgumentException("unsupported network mode " + text
                + " (expected bridge, host, none, container:<name> or a network name)");
    }

    /** Docker's spelling: {@code bridge}, {@code host}, {@code none}, {@code container:web}, {@code mynet}. */
    public String dockerName() {
        return switch (kind) {
            case BRIDGE -> "bridge";
            case HOST -> "host";
            case NONE -> "none";
            case CONTAINER -> "container:" + target;
            case NAMED -> target;
        };
    }

    @Override
    public String toString() {
        return dockerName();
    }
}

package io.gantry.core.container;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When the engine restarts a container whose process ended.
 *
 * <p>{@code maxRetries} (0 = unlimited) and {@code retryTimeout} only mean something for {@link Kind#ON_FAILURE}
 * and are normalised to zero for the other kinds, which is how Kanto's update agent treats them
 * (reference/kanto-cua.md §7.22). Docker has no setting for {@code retryTimeout} (Kanto's cap on the back-off delay);
 * Gantry keeps and reports it so that a desired state round-trips, but the engine's own back-off applies.
 */
public record RestartPolicy(Kind kind, int maxRetries, Duration retryTimeout) {

    public static final RestartPolicy NO = new RestartPolicy(Kind.NO, 0, Duration.ZERO);
    public static final RestartPolicy ALWAYS = new RestartPolicy(Kind.ALWAYS, 0, Duration.ZERO);
    public static final RestartPolicy UNLESS_STOPPED = new RestartPolicy(Kind.UNLESS_STOPPED, 0, Duration.ZERO);

    /** The restart policy kinds, with the spellings of Docker ({@code on-failure}) and Kanto ({@code ON_FAILURE}). */
    public enum Kind {
        NO("no"), ALWAYS("always"), UNLESS_STOPPED("unless-stopped"), ON_FAILURE("on-failure");

        private final String dockerName;

        Kind(String dockerName) {
            this.dockerName = dockerName;
        }

        public String dockerName() {
            return dockerName;
        }

        /** Accepts {@code on-failure}, {@code ON_FAILURE}, {@code On-Failure}; an empty name is Docker's "no". */
        public static Optional<Kind> forName(String name) {
            if (name != null && name.isBlank()) {
                return Optional.of(NO);
            }
            return EnumNames.wire(Kind.class, name);
        }
    }

    public RestartPolicy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryTimeout, "retryTimeout");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("restart policy max retry count cannot be negative");
        }
        if (retryTimeout.isNegative()) {
            throw new IllegalArgumentException("restart policy retry timeout cannot be negative");
        }
        if (kind != Kind.ON_FAILURE) {
            maxRetries = 0;
            retryTimeout = Duration.ZERO;
        }
    }

    public static RestartPolicy onFailure(int maxRetries, Duration retryTimeout) {
        return new RestartPolicy(Kind.ON_FAILURE, maxRetries, retryTimeout);
    }

    public static RestartPolicy of(Kind kind) {
        return new RestartPolicy(kind, 0, Duration.ZERO);
    }

    /**
     * Reads a Docker/Kanto policy name, e.g. {@code unless-stopped}, or Docker's {@code on-failure:<max retries>}
     * (the form {@link #toString()} writes).
     */
    public static RestartPolicy parse(String text) {
        String name = text;
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon >= 0) {
            name = text.substring(0, colon);
        }
        Kind kind = Kind.forName(name)
                .orElseThrow(() -> new IllegalArgumentException("unsupported restart policy type " + text));
        if (colon < 0) {
            return of(kind);
        }
        if (kind != Kind.ON_FAILURE) {
            throw new IllegalArgumentException("unsupported restart policy type " + text
                    + " (only on-failure takes a maximum retry count)");
        }
        String retries = text.substring(colon + 1).trim();
        if (!retries.matches("-?\\d{1,9}")) {
            throw new IllegalArgumentException("invalid restart policy " + text
                    + ": the maximum retry count must be a whole number (on-failure:3)");
        }
        return onFailure(Integer.parseInt(retries), Duration.ZERO);
    }

    @Override
    public String toString() {
        return kind == Kind.ON_FAILURE && maxRetries > 0 ? kind.dockerName + ":" + maxRetries : kind.dockerName;
    }
}

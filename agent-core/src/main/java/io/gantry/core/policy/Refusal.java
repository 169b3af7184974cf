package io.gantry.core.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One refusal of the operator's policy or trust rules, as the recent-refusals record keeps it: when, on which path
 * ({@link CreationOrigin}), the rule (a configuration key such as {@code policy.privileged}), the image, its digest when
 * known, what was refused (a container's name or a descriptor file), what was done ({@link #REFUSED} before anything
 * was created, or {@link #STOPPED}/{@link #REPORTED} for a container Gantry did not create) and the one-line message.
 * Valid once built.
 */
public record Refusal(Instant time, String path, String rule, String image, Optional<String> digest, String subject,
                      String action, String message) {

    /** Nothing was pulled or created. */
    public static final String REFUSED = "refused";
    /** A container Gantry did not create was stopped (and kept). */
    public static final String STOPPED = "stopped";
    /** A container Gantry did not create was only reported. */
    public static final String REPORTED = "reported";
    /** The path of containers Gantry did not create. */
    public static final String UNMANAGED = "unmanaged";

    public Refusal {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(digest, "digest");
        for (String s : new String[] {path, rule, image, subject, action, message}) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("a refusal needs a path, rule, image, subject, action and message");
            }
        }
        if (!action.equals(REFUSED) && !action.equals(STOPPED) && !action.equals(REPORTED)) {
            throw new IllegalArgumentException("not an action: " + action);
        }
    }

    /** A refusal before anything was created, from the exception that said so and the path it came on. */
    public static Refusal of(Instant time, CreationOrigin origin, ContainerRefusedException e) {
        return new Refusal(time, origin.path(), e.rule(), e.image(), e.digest(), origin.subject(), REFUSED,
                e.getMessage());
    }
}

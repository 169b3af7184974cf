package io.gantry.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The desired-state update agent. {@code mode} is {@code auto} (a desired state is carried out at once) or
 * {@code orchestrated} (Kanto's update manager drives the phases). A replaced container's successor must stay up for
 * {@code settle_time} (and become healthy within {@code health_timeout} if its image has a health check) before the
 * old one is removed; descriptor-file deployments use the same two settings. With {@code strict}, a desired-state
 * value that Kanto drops or reads as a default (an unreadable port, {@code privileged=yes}) fails the desired state
 * instead of being dropped with a warning.
 */
public record UpdateAgentConfig(boolean enable, String mode, String domain, List<String> systemContainers,
                                boolean verboseInventoryReport, Duration settleTime, Duration healthTimeout,
                                boolean strict) {

    public static final String AUTO = "auto";
    public static final String ORCHESTRATED = "orchestrated";
    public static final UpdateAgentConfig DEFAULTS = new UpdateAgentConfig(true, AUTO, "containers", List.of(), false,
            Duration.ofSeconds(3), Duration.ofSeconds(60), false);

    public UpdateAgentConfig {
        mode = Objects.requireNonNull(mode, "mode").trim().toLowerCase(java.util.Locale.ROOT);
        Objects.requireNonNull(domain, "domain");
        systemContainers = List.copyOf(systemContainers);
        Objects.requireNonNull(settleTime, "settleTime");
        Objects.requireNonNull(healthTimeout, "healthTimeout");
    }

    /** The lenient default: values Kanto drops are dropped with a warning. */
    public UpdateAgentConfig(boolean enable, String mode, String domain, List<String> systemContainers,
                             boolean verboseInventoryReport, Duration settleTime, Duration healthTimeout) {
        this(enable, mode, domain, systemContainers, verboseInventoryReport, settleTime, healthTimeout, false);
    }

    public boolean orchestrated() {
        return ORCHESTRATED.equals(mode);
    }
}

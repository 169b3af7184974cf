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
 * instead of being dropped with a warning. A desired state that finds the engine unreachable waits up to
 * {@code engine_wait} for it (a gateway booting, dockerd being upgraded) before it fails. In auto mode, {@code windows}
 * restrict when a desired state is carried out (docs/update-agent.md, "Update windows").
 */
public record UpdateAgentConfig(boolean enable, String mode, String domain, List<String> systemContainers,
                                boolean verboseInventoryReport, Duration settleTime, Duration healthTimeout,
                                boolean strict, Duration engineWait, WindowsConfig windows) {

    /** {@code open}: windows such as {@code Mon-Fri 02:00-04:00} ({@link UpdateWindows}); none: always open. */
    public record WindowsConfig(List<String> open, String zone) {
        public static final WindowsConfig DEFAULTS = new WindowsConfig(List.of(), "UTC");

        public WindowsConfig {
            open = List.copyOf(open);
            Objects.requireNonNull(zone, "zone");
        }

        /** The parsed windows; the configuration check has made sure they parse. */
        public UpdateWindows parsed() {
            return UpdateWindows.parse(open, zone);
        }
    }

    public static final String AUTO = "auto";
    public static final String ORCHESTRATED = "orchestrated";
    /** Long enough for dockerd to come up on a booting gateway or after an upgrade. */
    public static final Duration DEFAULT_ENGINE_WAIT = Duration.ofSeconds(60);
    public static final UpdateAgentConfig DEFAULTS = new UpdateAgentConfig(true, AUTO, "containers", List.of(), false,
            Duration.ofSeconds(3), Duration.ofSeconds(60), false, DEFAULT_ENGINE_WAIT, WindowsConfig.DEFAULTS);

    public UpdateAgentConfig {
        mode = Objects.requireNonNull(mode, "mode").trim().toLowerCase(java.util.Locale.ROOT);
        Objects.requireNonNull(domain, "domain");
        systemContainers = List.copyOf(systemContainers);
        Objects.requireNonNull(settleTime, "settleTime");
        Objects.requireNonNull(healthTimeout, "healthTimeout");
        Objects.requireNonNull(engineWait, "engineWait");
        Objects.requireNonNull(windows, "windows");
    }

    /** Without update windows. */
    public UpdateAgentConfig(boolean enable, String mode, String domain, List<String> systemContainers,
                             boolean verboseInventoryReport, Duration settleTime, Duration healthTimeout,
                             boolean strict, Duration engineWait) {
        this(enable, mode, domain, systemContainers, verboseInventoryReport, settleTime, healthTimeout, strict,
                engineWait, WindowsConfig.DEFAULTS);
    }

    /** Lenient (values Kanto drops are dropped with a warning), with the default {@code engine_wait}. */
    public UpdateAgentConfig(boolean enable, String mode, String domain, List<String> systemContainers,
                             boolean verboseInventoryReport, Duration settleTime, Duration healthTimeout) {
        this(enable, mode, domain, systemContainers, verboseInventoryReport, settleTime, healthTimeout, false,
                DEFAULT_ENGINE_WAIT);
    }

    public boolean orchestrated() {
        return ORCHESTRATED.equals(mode);
    }
}

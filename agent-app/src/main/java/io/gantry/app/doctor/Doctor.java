package io.gantry.app.doctor;

import io.gantry.app.cli.TransportFactory;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.EngineInfo;
import io.gantry.core.image.DiskFigures;
import io.gantry.core.image.DiskSpace;
import io.gantry.core.image.ImageStore;
import io.gantry.metrics.sampling.HostPaths;
import io.gantry.update.journal.Journal;
import io.gantry.update.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code gantry doctor}'s checks, in order: configuration, engine, broker, twin identity, update journal, disk,
 * clock, images. Each check yields one {@link Finding}; a check whose prerequisite failed says so instead of failing
 * again. Nothing here changes the gateway.
 */
public final class Doctor {

    /** A journaled operation older than this is reported as stuck. */
    static final Duration STUCK_AFTER = Duration.ofMinutes(10);
    /** What {@code state_dir} needs free for the journal, the ledgers and the class-data archives. */
    static final long STATE_DIR_MIN_FREE = 16L * 1024 * 1024;

    /** The engine a check talks to, with its image store when it has one; closed after the checks. */
    public record EngineAccess(ContainerEngine engine, Optional<ImageStore> images) {
    }

    private final Supplier<AgentConfig> configuration;
    private final Function<AgentConfig, EngineAccess> engines;
    private final TransportFactory transports;
    private final ClockCheck clockCheck;
    private final Clock clock;
    private final Duration wait;

    /**
     * @param configuration reads the configuration; a {@link RuntimeException} is the configuration check's failure
     * @param wait          how long the broker and the connector get to answer
     */
    public Doctor(Supplier<AgentConfig> configuration, Function<AgentConfig, EngineAccess> engines,
                  TransportFactory transports, ClockCheck clockCheck, Clock clock, Duration wait) {
        this.configuration = configuration;
        this.engines = engines;
        this.transports = transports;
        this.clockCheck = clockCheck;
        this.clock = clock;
        this.wait = wait;
    }

    public List<Finding> run() {
        List<Finding> findings = new ArrayList<>();
        AgentConfig config;
        try {
            config = configuration.get();
            findings.add(Finding.ok("configuration", "valid"));
        } catch (RuntimeException e) {
            findings.add(Finding.fail("configuration", e.getMessage().strip().replaceAll("\\s*\\n\\s*", "; "),
                    "correct the keys named above (docs/configuration.md); the checks below use the defaults"));
            config = AgentConfig.DEFAULTS;
        }
        EngineAccess access = null;
        try {
            access = engines.apply(config);
            Optional<EngineInfo> info = engine(config, access.engine(), findings);
            findings.addAll(List.of(new BrokerCheck(transports, wait).run(config)));
            findings.add(journal(config));
            findings.add(disk(config, info.isPresent() ? access : null));
            findings.add(clockCheck.run());
            findings.add(images(info.isPresent() ? access.engine() : null));
        } finally {
            if (access != null && access.engine() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // the findings are what matters
                }
            }
        }
        return findings;
    }

    private static Optional<EngineInfo> engine(AgentConfig config, ContainerEngine engine, List<Finding> findings) {
        String host = config.engine().host();
        try {
            EngineInfo info = engine.info();
            String detail = host + ": Docker " + info.version() + ", API " + info.apiVersion() + ", storage driver "
                    + info.storageDriver() + ", cgroup v" + info.cgroupVersion();
            Optional<String> unreadable = host.startsWith("unix://") ? unreadableKernelPaths() : Optional.empty();
            findings.add(unreadable.isPresent()
                    ? Finding.fail("engine", detail + "; " + unreadable.get() + " not readable, so metrics fall back "
                            + "to the engine's API", "run Gantry as root, or set GANTRY_HOST_CGROUP and "
                            + "GANTRY_HOST_PROC to the host's /sys/fs/cgroup and /proc (docs/metrics.md)")
                    : Finding.ok("engine", detail + (host.startsWith("unix://") ? ", kernel paths readable" : "")));
            return Optional.of(info);
        } catch (RuntimeException e) {
            findings.add(Finding.fail("engine", host + ": " + e.getMessage(), "start the engine (systemctl start "
                    + "docker), or correct engine.host / --host; the user needs access to the socket"));
            return Optional.empty();
        }
    }

    private static Optional<String> unreadableKernelPaths() {
        HostPaths paths = HostPaths.fromEnvironment(System.getenv());
        for (Path p : List.of(paths.cgroupRoot(), paths.procRoot().resolve("stat"))) {
            if (!Files.isReadable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    private Finding journal(AgentConfig config) {
        Journal journal = new Journal(config.stateDir());
        try {
            Optional<JournalRecord> record = journal.read();
            if (record.isEmpty()) {
                return Finding.ok("update journal", "no operation in progress (" + journal.file() + ")");
            }
            Instant written = Files.getLastModifiedTime(journal.file()).toInstant();
            Duration age = Duration.between(written, clock.instant());
            String what = "operation " + record.get().operationId() + " (activity " + record.get().activityId()
                    + ") journaled " + age.toSeconds() + " s ago";
            return age.compareTo(STUCK_AFTER) < 0 ? Finding.ok("update journal", what + ", in progress")
                    : Finding.fail("update journal", what + ": stuck", "start Gantry (systemctl start gantry): it "
                            + "resumes or rolls the operation back at start; journalctl -u gantry says why it stopped");
        } catch (IOException | RuntimeException e) {
            return Finding.fail("update journal", journal.file() + " cannot be read: " + e.getMessage(),
                    "move the file aside; Gantry then starts without recovering that operation");
        }
    }

    private static Finding disk(AgentConfig config, EngineAccess access) {
        List<String> seen = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long threshold = config.engine().minFreeSpace().bytes();
        if (access == null) {
            seen.add("the engine's data root not checked (no engine)");
        } else if (access.images().isEmpty()) {
            seen.add("the engine's data root is not visible here");
        } else {
            try {
                DiskFigures figures = DiskFigures.read(access.images().get(), access.engine());
                figures.dataRoot().ifPresentOrElse(root -> {
                    seen.add(space(root) + " (data root)");
                    if (root.freeBytes() < threshold) {
                        problems.add(root.path() + " has " + DiskSpace.format(root.freeBytes()) + " free, "
                                + "engine.min_free_space needs " + DiskSpace.format(threshold));
                    }
                }, () -> seen.add("the engine's data root is not visible here"));
                seen.add(figures.images() + " images, " + DiskSpace.format(figures.reclaimableBytes())
                        + " reclaimable");
            } catch (RuntimeException e) {
                seen.add("the engine's images could not be read: " + e.getMessage());
            }
        }
        Path stateDir = config.stateDir();
        Path existing = Files.exists(stateDir) ? stateDir : stateDir.toAbsolutePath().getParent();
        Optional<DiskSpace> state = existing == null ? Optional.empty() : DiskSpace.of(existing);
        if (state.isPresent()) {
            seen.add(space(state.get()) + " (state_dir)");
            if (state.get().freeBytes() < STATE_DIR_MIN_FREE) {
                problems.add(stateDir + " has " + DiskSpace.format(state.get().freeBytes()) + " free, Gantry needs "
                        + DiskSpace.format(STATE_DIR_MIN_FREE));
            }
        }
        String detail = String.join("; ", seen);
        return problems.isEmpty() ? Finding.ok("disk", detail) : Finding.fail("disk", String.join("; ", problems)
                + " (" + detail + ")", "free space: docker image prune, docker system df shows what holds it; "
                + "or lower engine.min_free_space");
    }

    private static String space(DiskSpace space) {
        return space.path() + " " + DiskSpace.format(space.freeBytes()) + " free of "
                + DiskSpace.format(space.totalBytes());
    }

    private static Finding images(ContainerEngine engine) {
        if (engine == null) {
            return Finding.warn("images", "not checked: the engine does not answer", "fix the engine first");
        }
        try {
            List<String> missing = new ArrayList<>();
            int managed = 0;
            for (Container c : engine.list()) {
                if (c.managed()) {
                    managed++;
                    if (!engine.imagePresent(c.image())) {
                        missing.add(c.name().value() + " (" + c.image().text() + ")");
                    }
                }
            }
            return missing.isEmpty() ? Finding.ok("images", "the images of all " + managed
                    + " managed containers are present")
                    : Finding.fail("images", "missing for " + String.join(", ", missing), "pull them again "
                            + "(docker pull IMAGE), or apply the desired state again so that Gantry pulls them");
        } catch (RuntimeException e) {
            return Finding.fail("images", "cannot list the containers: " + e.getMessage(), "fix the engine first");
        }
    }
}

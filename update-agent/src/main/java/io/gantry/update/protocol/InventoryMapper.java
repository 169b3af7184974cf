package io.gantry.update.protocol;

import io.gantry.config.ByteSize;
import io.gantry.config.Durations;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.kanto.json.Rfc3339;
import io.gantry.update.desired.ImageVersions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds the current state (inventory) from the engine's containers, with Kanto's node shape and parameters
 * (reference/kanto-cua.md §4). Every container is listed, system and unmanaged ones included, sorted by name; each
 * carries a {@code managed} parameter ({@code false} for containers Gantry did not create), and {@code cpus} /
 * {@code gpus} when set. The parameters use the same keys and spellings a desired state takes, so a node can be
 * copied back into a desired state. Non-verbose mode leaves out values that are the defaults.
 */
public final class InventoryMapper {

    public static final String AGENT_NAME = "Gantry Containers Update Agent";
    private static final String DOMAIN_PARAMETER = "domain";

    private InventoryMapper() {
    }

    public static WireInventory toInventory(List<Container> containers, UpdateTopics topics, boolean verbose,
                                            String agentVersion) {
        return toInventory(containers, topics, verbose, agentVersion, List.of());
    }

    /** The same, with {@code agentParameters} after {@code domain} on the agent's own node. */
    public static WireInventory toInventory(List<Container> containers, UpdateTopics topics, boolean verbose,
                                            String agentVersion, List<WireKeyValue> agentParameters) {
        List<WireSoftwareNode> nodes = new ArrayList<>();
        List<WireAssociation> associations = new ArrayList<>();
        List<WireKeyValue> own = new ArrayList<>();
        own.add(new WireKeyValue(DOMAIN_PARAMETER, topics.domain()));
        own.addAll(agentParameters);
        nodes.add(new WireSoftwareNode(topics.agentNodeId(), agentVersion, AGENT_NAME, own, "APPLICATION"));
        containers.stream().sorted(Comparator.comparing(Container::name)).forEach(c -> {
            String id = topics.componentId(c.name().value());
            nodes.add(new WireSoftwareNode(id, ImageVersions.of(c.image().text()), "", parameters(c, verbose),
                    "CONTAINER"));
            associations.add(new WireAssociation(topics.agentNodeId(), id));
        });
        return new WireInventory(nodes, associations);
    }

    /** The parameters of one container node, in Kanto's order (§4.3). */
    static List<WireKeyValue> parameters(Container container, boolean verbose) {
        Parameters p = new Parameters();
        ContainerSpec spec = container.spec();
        p.add(ConfigKey.IMAGE, container.image().text());
        p.addIf(!spec.domainname().isEmpty(), ConfigKey.DOMAIN_NAME, spec.domainname());
        // Kanto lists a host name only when it is not its default (§4.3).
        p.addIf(verbose || !spec.hostname().isEmpty()
                        && !spec.hostname().equals(ContainerSpec.defaultHostname(container.name())),
                ConfigKey.HOST_NAME, spec.hostname());
        p.addIf(verbose || spec.tty(), ConfigKey.TERMINAL, Boolean.toString(spec.tty()));
        p.addIf(verbose || spec.openStdin(), ConfigKey.INTERACTIVE, Boolean.toString(spec.openStdin()));
        p.addIf(verbose || spec.privileged(), ConfigKey.PRIVILEGED, Boolean.toString(spec.privileged()));
        RestartPolicy restart = spec.restartPolicy();
        p.addIf(verbose || restart.kind() != RestartPolicy.Kind.UNLESS_STOPPED, ConfigKey.RESTART_POLICY,
                restart.kind().dockerName());
        p.addIf(verbose || restart.maxRetries() != 0, ConfigKey.RESTART_MAX_RETRIES,
                Integer.toString(restart.maxRetries()));
        p.addIf(verbose || !restart.retryTimeout().isZero(), ConfigKey.RESTART_TIMEOUT,
                Durations.format(restart.retryTimeout()));
        spec.devices().forEach(d -> p.add(ConfigKey.DEVICE, d.toString()));
        spec.ports().forEach(port -> p.add(ConfigKey.PORT, port.toString()));
        p.addIf(verbose || spec.network().kind() != NetworkMode.Kind.BRIDGE, ConfigKey.NETWORK,
                spec.network().dockerName());
        spec.extraHosts().forEach(h -> p.add(ConfigKey.HOST, h.toString()));
        log(p, spec.log(), verbose);
        Resources resources = spec.resources();
        resources.memory().ifPresent(m -> p.add(ConfigKey.MEMORY, m.format()));
        resources.memoryReservation().ifPresent(m -> p.add(ConfigKey.MEMORY_RESERVATION, m.format()));
        if (resources.unlimitedSwap()) {
            p.add(ConfigKey.MEMORY_SWAP, "-1");
        }
        resources.memorySwap().ifPresent(m -> p.add(ConfigKey.MEMORY_SWAP, m.format()));
        resources.cpus().ifPresent(c -> p.add(ConfigKey.CPUS, c.toPlainString()));
        resources.gpus().ifPresent(g -> p.add(ConfigKey.GPUS, g.toString()));
        spec.mounts().forEach(m -> p.add(ConfigKey.MOUNT, m.toString()));
        spec.env().forEach(e -> p.add(ConfigKey.ENV, e.toString()));
        spec.cmd().forEach(c -> p.add(ConfigKey.CMD, c));
        state(p, container, verbose);
        p.add(ConfigKey.MANAGED, Boolean.toString(container.managed()));
        return p.values;
    }

    private static void log(Parameters p, LogConfig log, boolean verbose) {
        p.addIf(verbose || !log.driver().equals(LogConfig.JSON_FILE), ConfigKey.LOG_DRIVER, log.driver());
        if (log.rotates()) {
            p.addIf(verbose || log.maxFiles() != LogConfig.DEFAULT_MAX_FILES, ConfigKey.LOG_MAX_FILES,
                    Integer.toString(log.maxFiles()));
            Optional<ByteSize> maxSize = log.maxSize();
            p.addIf(maxSize.isPresent() && (verbose || !maxSize.get().equals(LogConfig.DEFAULT_MAX_SIZE)),
                    ConfigKey.LOG_MAX_SIZE, maxSize.map(ByteSize::format).orElse(""));
        }
        p.addIf(verbose || log.mode() != LogConfig.Mode.BLOCKING, ConfigKey.LOG_MODE, log.mode().dockerName());
        Optional<ByteSize> buffer = log.maxBufferSize();
        p.addIf(log.mode() == LogConfig.Mode.NON_BLOCKING && buffer.isPresent()
                        && (verbose || !buffer.get().equals(LogConfig.DEFAULT_MAX_BUFFER_SIZE)),
                ConfigKey.LOG_MAX_BUFFER_SIZE, buffer.map(ByteSize::format).orElse(""));
    }

    private static void state(Parameters p, Container container, boolean verbose) {
        ContainerState state = container.state();
        boolean running = state.status() == ContainerStatus.RUNNING;
        p.add(ConfigKey.STATUS, status(state.status()));
        p.addIf(verbose || (state.finishedAt().isPresent() && !running), ConfigKey.FINISHED_AT,
                state.finishedAt().map(Rfc3339::format).orElse(""));
        p.addIf(verbose || (state.exitCode() != 0 && !running), ConfigKey.EXIT_CODE, Long.toString(state.exitCode()));
        p.add(ConfigKey.CREATED, Rfc3339.format(container.createdAt()));
        p.addIf(verbose || state.restartCount() != 0, ConfigKey.RESTART_COUNT, Integer.toString(state.restartCount()));
        boolean startedBefore = state.startedAt().isPresent();
        p.addIf(verbose || (startedBefore && !running), ConfigKey.STARTED_SUCCESSFULLY_BEFORE,
                Boolean.toString(startedBefore));
    }

    /**
     * Kanto's status names. Docker's {@code restarting} is a container waiting to be restarted after it ended,
     * which Kanto reports as {@code Exited}; {@code removing} is on its way out, which Kanto calls {@code Dead}.
     */
    static String status(ContainerStatus status) {
        return switch (status) {
            case CREATED -> "Created";
            case RUNNING -> "Running";
            case PAUSED -> "Paused";
            case RESTARTING, EXITED -> "Exited";
            case REMOVING, DEAD -> "Dead";
        };
    }

    /** Formats an instant as Go's RFC3339Nano; for tests. */
    static String time(Instant instant) {
        return Rfc3339.format(instant);
    }

    private static final class Parameters {
        private final List<WireKeyValue> values = new ArrayList<>();

        void add(ConfigKey key, String value) {
            values.add(new WireKeyValue(key.wireName(), value));
        }

        void addIf(boolean condition, ConfigKey key, String value) {
            if (condition && !value.isEmpty()) {
                add(key, value);
            }
        }
    }
}

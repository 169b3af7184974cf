package io.gantry.core.container;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything that defines a container, independent of how it was asked for (CLI, Ditto {@code createWithConfig},
 * desired state, descriptor file).
 *
 * <p>The record is normalised on construction — env deduplicated by name and sorted, ports, mounts, devices and
 * extra hosts sorted, labels sorted, a named container's empty host name {@code <name>-host} as in Kanto — so that two
 * specs that mean the same container are {@code equals}: that is
 * the update planner's diff. {@code cmd} and {@code entrypoint} keep their order because order is meaning there.
 * Empty strings and lists mean "the image's or engine's default".
 */
public record ContainerSpec(
        Optional<ContainerName> name,
        ImageRef image,
        List<String> cmd,
        List<String> entrypoint,
        List<EnvVar> env,
        String hostname,
        String domainname,
        List<Mount> mounts,
        List<DeviceMapping> devices,
        boolean privileged,
        NetworkMode network,
        List<PortMapping> ports,
        List<ExtraHost> extraHosts,
        RestartPolicy restartPolicy,
        LogConfig log,
        Resources resources,
        String runtime,
        Map<String, String> labels,
        boolean tty,
        boolean openStdin) {

    /** Label keys under this prefix belong to Gantry and never appear in a spec's {@code labels}. */
    public static final String GANTRY_LABEL_PREFIX = "io.gantry.";
    /**
     * A Gantry label given to {@link ContainerEngine#create}: the reference (a {@code repo@sha256:…} or an image id)
     * the container is created from instead of the spec's image, which the container still reports (docs/trust.md).
     */
    public static final String PINNED_IMAGE_LABEL = "io.gantry.image.pinned";
    /** Kanto's default host name is the container's name with this suffix ({@link #defaultHostname}). */
    public static final String DEFAULT_HOSTNAME_SUFFIX = "-host";

    /**
     * The most one spec may weigh, in characters of its texts ({@link #weight()}): far above any real container
     * (a few KiB), far below what would endanger the agent's heap, which holds a spec several times over while it
     * creates the container (the request, its spec label, the engine's answer).
     */
    public static final long MAX_WEIGHT = 256 * 1024;

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(domainname, "domainname");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(runtime, "runtime");
        if (hostname.isEmpty() && name.isPresent() && takesHostname(network)) {
            hostname = defaultHostname(name.get());
        }
        cmd = List.copyOf(cmd);
        entrypoint = List.copyOf(entrypoint);
        env = lastPerName(env);
        mounts = sorted(mounts);
        devices = sorted(devices);
        ports = sorted(ports);
        extraHosts = sorted(extraHosts);
        labels = Collections.unmodifiableMap(new TreeMap<>(checkLabels(labels)));
    }

    /**
     * Kanto's host name for a container that sets none, {@code <name>-host} (reference/kanto-cua.md §2.3); Leda's
     * desired states reach a peer by it ({@code container_<name>-host}). Docker's own default is the short id.
     */
    public static String defaultHostname(ContainerName name) {
        return name.value() + DEFAULT_HOSTNAME_SUFFIX;
    }

    /** Host and container: networks share another namespace's host name, and Docker refuses one of their own. */
    private static boolean takesHostname(NetworkMode network) {
        return network.kind() != NetworkMode.Kind.HOST && network.kind() != NetworkMode.Kind.CONTAINER;
    }

    /**
     * Checks that no label is one of Gantry's own ({@link #GANTRY_LABEL_PREFIX}).
     *
     * @return {@code labels}
     * @throws IllegalArgumentException naming the first reserved label
     */
    public static Map<String, String> checkLabels(Map<String, String> labels) {
        for (String key : labels.keySet()) {
            if (key.startsWith(GANTRY_LABEL_PREFIX)) {
                throw new IllegalArgumentException("label " + key + " is reserved for Gantry");
            }
        }
        return labels;
    }

    /**
     * Checks the cross-field rules a spec must meet before Gantry creates a container from it, with Kanto's messages
     * (reference/kanto-cua.md §2.3, ValidateContainer). They are not checked on construction because a container
     * made by hand with {@code docker run} may break them and must still be reported truthfully.
     *
     * @return this spec
     * @throws IllegalArgumentException naming the first rule broken
     */
    public ContainerSpec validated() {
        withinWeight();
        if (privileged && !devices.isEmpty()) {
            throw new IllegalArgumentException("cannot create the container as privileged and with specified devices"
                    + " at the same time - choose one of the options");
        }
        if (network.kind() == NetworkMode.Kind.HOST || network.kind() == NetworkMode.Kind.CONTAINER
                || network.kind() == NetworkMode.Kind.NONE) {
            if (!ports.isEmpty()) {
                throw new IllegalArgumentException("cannot use port mappings when in " + network.dockerName()
                        + " network mode");
            }
        }
        if (network.kind() == NetworkMode.Kind.HOST && extraHosts.stream().anyMatch(ExtraHost::usesHostIp)) {
            throw new IllegalArgumentException("cannot use the host_ip reserved key or any of its modifications"
                    + " when in host network mode");
        }
        return this;
    }

    /**
     * The characters of everything an operator can make long: command, entrypoint, environment, labels, mounts,
     * devices, ports, extra hosts, log options, host and domain name, runtime.
     */
    public long weight() {
        long weight = hostname.length() + domainname.length() + runtime.length() + log.driver().length();
        for (List<?> texts : List.of(cmd, entrypoint, env, mounts, devices, ports, extraHosts)) {
            for (Object text : texts) {
                weight += text.toString().length();
            }
        }
        for (Map<String, String> map : List.of(labels, log.options())) {
            for (Map.Entry<String, String> entry : map.entrySet()) {
                weight += entry.getKey().length() + entry.getValue().length();
            }
        }
        return weight;
    }

    /**
     * Checks the {@link #MAX_WEIGHT bound} that every path to a new container (file, desired state, Ditto, CLI)
     * meets, so that no input can make the agent run out of memory while it creates one.
     *
     * @return this spec
     * @throws IllegalArgumentException saying how much it weighs and what is allowed
     */
    public ContainerSpec withinWeight() {
        long weight = weight();
        if (weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("the container's configuration is too large: " + weight
                    + " characters of command, environment, labels and other settings, at most " + MAX_WEIGHT
                    + " are allowed");
        }
        return this;
    }

    private static <T extends Comparable<? super T>> List<T> sorted(Collection<T> values) {
        List<T> copy = new ArrayList<>(values);
        copy.forEach(v -> Objects.requireNonNull(v, "list element"));
        Collections.sort(copy);
        return List.copyOf(copy);
    }

    private static List<EnvVar> lastPerName(Collection<EnvVar> values) {
        Map<String, EnvVar> byName = new LinkedHashMap<>();
        for (EnvVar v : values) {
            byName.put(v.name(), v);
        }
        return sorted(byName.values());
    }

    public static Builder builder(ImageRef image) {
        return new Builder(image);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * This spec with everything that {@code docker update} can change in place (restart policy, memory, CPUs)
     * cleared. Two specs with equal immutable parts differ at most in what an update can fix; otherwise the
     * container must be recreated.
     */
    public ContainerSpec immutablePart() {
        return toBuilder().restartPolicy(RestartPolicy.NO)
                .resources(Resources.NONE.withGpus(resources.gpus())).buildAsReported();
    }

    /** The same spec under another name (used for the temporary name during a replacement). */
    public ContainerSpec withName(ContainerName newName) {
        return toBuilder().name(newName).buildAsReported();
    }

    /** Builds a spec piece by piece; every list setter replaces, every {@code add} appends. */
    public static final class Builder {
        private Optional<ContainerName> name = Optional.empty();
        private ImageRef image;
        private List<String> cmd = new ArrayList<>();
        private List<String> entrypoint = new ArrayList<>();
        private List<EnvVar> env = new ArrayList<>();
        private String hostname = "";
        private String domainname = "";
        private List<Mount> mounts = new ArrayList<>();
        private List<DeviceMapping> devices = new ArrayList<>();
        private boolean privileged;
        private NetworkMode network = NetworkMode.BRIDGE;
        private List<PortMapping> ports = new ArrayList<>();
        private List<ExtraHost> extraHosts = new ArrayList<>();
        private RestartPolicy restartPolicy = RestartPolicy.UNLESS_STOPPED;
        private LogConfig log = LogConfig.DEFAULT;
        private Resources resources = Resources.NONE;
        private String runtime = "";
        private Map<String, String> labels = new TreeMap<>();
        private boolean tty;
        private boolean openStdin;

        private Builder(ImageRef image) {
            this.image = Objects.requireNonNull(image, "image");
        }

        private Builder(ContainerSpec s) {
            name = s.name;
            image = s.image;
            cmd = new ArrayList<>(s.cmd);
            entrypoint = new ArrayList<>(s.entrypoint);
            env = new ArrayList<>(s.env);
            hostname = s.hostname;
            domainname = s.domainname;
            mounts = new ArrayList<>(s.mounts);
            devices = new ArrayList<>(s.devices);
            privileged = s.privileged;
            network = s.network;
            ports = new ArrayList<>(s.ports);
            extraHosts = new ArrayList<>(s.extraHosts);
            restartPolicy = s.restartPolicy;
            log = s.log;
            resources = s.resources;
            runtime = s.runtime;
            labels = new TreeMap<>(s.labels);
            tty = s.tty;
            openStdin = s.openStdin;
        }

        public Builder name(ContainerName value) {
            name = Optional.ofNullable(value);
            return this;
        }

        public Builder name(Optional<ContainerName> value) {
            name = Objects.requireNonNull(value);
            return this;
        }

        public Builder image(ImageRef value) {
            image = Objects.requireNonNull(value);
            return this;
        }

        public Builder cmd(List<String> value) {
            cmd = new ArrayList<>(value);
            return this;
        }

        public Builder entrypoint(List<String> value) {
            entrypoint = new ArrayList<>(value);
            return this;
        }

        public Builder env(List<EnvVar> value) {
            env = new ArrayList<>(value);
            return this;
        }

        public Builder addEnv(EnvVar value) {
            env.add(value);
            return this;
        }

        public Builder hostname(String value) {
            hostname = Objects.requireNonNull(value);
            return this;
        }

        public Builder domainname(String value) {
            domainname = Objects.requireNonNull(value);
            return this;
        }

        public Builder mounts(List<Mount> value) {
            mounts = new ArrayList<>(value);
            return this;
        }

        public Builder addMount(Mount value) {
            mounts.add(value);
            return this;
        }

        public Builder devices(List<DeviceMapping> value) {
            devices = new ArrayList<>(value);
            return this;
        }

        public Builder addDevice(DeviceMapping value) {
            devices.add(value);
            return this;
        }

        public Builder privileged(boolean value) {
            privileged = value;
            return this;
        }

        public Builder network(NetworkMode value) {
            network = Objects.requireNonNull(value);
            return this;
        }

        public Builder ports(List<PortMapping> value) {
            ports = new ArrayList<>(value);
            return this;
        }

        public Builder addPort(PortMapping value) {
            ports.add(value);
            return this;
        }

        public Builder extraHosts(List<ExtraHost> value) {
            extraHosts = new ArrayList<>(value);
            return this;
        }

        public Builder addExtraHost(ExtraHost value) {
            extraHosts.add(value);
            return this;
        }

        public Builder restartPolicy(RestartPolicy value) {
            restartPolicy = Objects.requireNonNull(value);
            return this;
        }

        public Builder log(LogConfig value) {
            log = Objects.requireNonNull(value);
            return this;
        }

        public Builder resources(Resources value) {
            resources = Objects.requireNonNull(value);
            return this;
        }

        public Builder runtime(String value) {
            runtime = Objects.requireNonNull(value);
            return this;
        }

        public Builder labels(Map<String, String> value) {
            labels = new TreeMap<>(value);
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder tty(boolean value) {
            tty = value;
            return this;
        }

        public Builder openStdin(boolean value) {
            openStdin = value;
            return this;
        }

        /** Applies {@code change} to this builder, for pipelines of optional edits. */
        public Builder apply(Function<Builder, Builder> change) {
            return change.apply(this);
        }

        /**
         * Builds a spec that Gantry may create a container from.
         *
         * @throws IllegalArgumentException with the first rule the spec breaks
         */
        public ContainerSpec build() {
            return buildAsReported().validated();
        }

        /** Builds a spec as the engine reports it, without the rules that only apply to what Gantry creates. */
        public ContainerSpec buildAsReported() {
            return new ContainerSpec(name, image, cmd, entrypoint, env, hostname, domainname, mounts, devices,
                    privileged, network, ports, extraHosts, restartPolicy, log, resources, runtime, labels, tty,
                    openStdin);
        }
    }
}

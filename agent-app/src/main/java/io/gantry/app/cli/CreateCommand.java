package io.gantry.app.cli;

import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.PullEvent;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.policy.CreationOrigin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry create}: a managed container from options in the spirit of {@code docker run}, pulling the image
 * first when it is missing. Every value is read by the core parsers, so the rules and messages are those of every
 * other way to describe a container (Ditto commands, desired states, descriptor files).
 */
@Command(name = "create", description = "Creates a managed container (pulling the image when it is missing).")
final class CreateCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Container name (default: chosen by the engine).")
    ContainerName name;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Environment variable (repeatable).")
    List<EnvVar> env = new ArrayList<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "[IP:]HOST_PORT[-END]:PORT[/PROTO]",
            description = "Publish a port (repeatable), e.g. 127.0.0.1:8080:80/tcp or 5000-5010:5000/udp.")
    List<PortMapping> ports = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "SOURCE:DEST[:OPTIONS]",
            description = "Bind mount or named volume (repeatable); options ro, rw and a propagation mode.")
    List<Mount> mounts = new ArrayList<>();

    @Option(names = "--device", paramLabel = "HOST[:CONTAINER[:rwm]]", description = "Host device (repeatable).")
    List<DeviceMapping> devices = new ArrayList<>();

    @Option(names = "--restart", paramLabel = "POLICY",
            description = "no, always, unless-stopped (default) or on-failure[:MAX_RETRIES].")
    RestartPolicy restart;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, e.g. 512m (at least 6M).")
    ByteSize memory;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", description = "Soft memory limit.")
    ByteSize memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "SIZE",
            description = "Memory plus swap (default: twice the memory); -1 for unlimited swap.")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs, e.g. 1.5 (up to 3 decimals).")
    String cpus;

    @Option(names = "--gpus", paramLabel = "all|N", description = "NVIDIA GPUs: all or a count.")
    Gpus gpus;

    @Option(names = "--privileged", description = "Give the container all host privileges.")
    boolean privileged;

    @Option(names = "--network", paramLabel = "MODE",
            description = "bridge (default), host, none, container:NAME or a network name.")
    NetworkMode network;

    @Option(names = "--add-host", paramLabel = "NAME:ADDRESS",
            description = "Extra /etc/hosts entry (repeatable); ADDRESS may be host_ip, host_ip_IFACE or "
                    + "container_NAME.")
    List<ExtraHost> extraHosts = new ArrayList<>();

    @Option(names = "--log-driver", paramLabel = "DRIVER", description = "json-file (default), local or none.")
    String logDriver;

    @Option(names = "--log-opt", paramLabel = "KEY=VALUE",
            description = "Log driver option (repeatable): max-file, max-size, mode, max-buffer-size or another.")
    Map<String, String> logOptions = new LinkedHashMap<>();

    @Option(names = {"-h", "--hostname"}, paramLabel = "NAME", description = "Host name inside the container.")
    String hostname;

    @Option(names = "--domainname", paramLabel = "NAME", description = "Domain name inside the container.")
    String domainname;

    @Option(names = "--entrypoint", paramLabel = "PATH", description = "Replace the image's entrypoint.")
    String entrypoint;

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Label (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = {"-t", "--tty"}, description = "Allocate a terminal.")
    boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "Keep standard input open.")
    boolean interactive;

    @Option(names = "--runtime", paramLabel = "NAME", description = "OCI runtime, e.g. nvidia.")
    String runtime;

    @Option(names = "--start", description = "Start the container once it is created.")
    boolean start;

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit (-h is --hostname, as in docker).")
    boolean help;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference, e.g. nginx:1.25.")
    ImageRef image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        ContainerSpec containerSpec = spec();
        Container created = gantry.withEngine(engine -> {
            Consumer<PullEvent> progress = e -> { };
            new CreationOrigin(CreationOrigin.CLI, containerSpec.name().map(ContainerName::value)
                    .orElse(containerSpec.image().text())).during(() -> engine.admit(containerSpec));
            if (!engine.imagePresent(image)) {
                gantry.err().println("Pulling " + image + " ...");
                gantry.err().flush();
                engine.pull(image, progress);
            }
            ContainerId id = engine.create(containerSpec, Map.of(Container.ORIGIN_LABEL, "cli"));
            if (start) {
                engine.start(id);
            }
            return engine.inspect(id).orElseThrow(() -> new IllegalStateException("container " + id
                    + " vanished right after it was created"));
        });
        if (gantry.output() == OutputFormat.JSON) {
            gantry.out().println(ContainerJson.print(ContainerJson.of(created)));
        } else {
            gantry.out().println(created.id().value());
        }
        gantry.out().flush();
        return ExitCodes.OK;
    }

    /** The spec the options describe; a bad value or combination is a usage error naming the option. */
    ContainerSpec spec() {
        Optional<ByteSize> swap = swap();
        boolean unlimitedSwap = memorySwap != null && memorySwap.trim().equals("-1");
        Resources resources;
        try {
            resources = Resources.NONE.withMemory(Optional.ofNullable(memory), Optional.ofNullable(memoryReservation),
                    swap, unlimitedSwap);
        } catch (IllegalArgumentException e) {
            // Kanto's messages start with what they are about: "swap memory - …", "reservation memory - …".
            String option = e.getMessage().startsWith("swap") ? "--memory-swap"
                    : e.getMessage().startsWith("reservation") ? "--memory-reservation" : "--memory";
            throw GantryCommand.badValue(spec, option, e);
        }
        Optional<BigDecimal> cpuCount = GantryCommand.option(spec, "--cpus",
                () -> Optional.ofNullable(cpus).map(Resources::parseCpus));
        Resources limits = GantryCommand.option(spec, "--cpus", () -> resources.withCpus(cpuCount)
                .withGpus(Optional.ofNullable(gpus)));
        LogConfig log = GantryCommand.option(spec, logDriver != null ? "--log-driver" : "--log-opt", this::log);
        ContainerSpec.Builder builder = ContainerSpec.builder(image)
                .name(name)
                .cmd(command)
                .env(env)
                .mounts(mounts)
                .devices(devices)
                .privileged(privileged)
                .ports(ports)
                .extraHosts(extraHosts)
                .log(log)
                .resources(limits)
                .tty(tty)
                .openStdin(interactive)
                .labels(labels);
        Optional.ofNullable(entrypoint).ifPresent(e -> builder.entrypoint(List.of(e)));
        Optional.ofNullable(network).ifPresent(builder::network);
        Optional.ofNullable(restart).ifPresent(builder::restartPolicy);
        Optional.ofNullable(hostname).ifPresent(builder::hostname);
        Optional.ofNullable(domainname).ifPresent(builder::domainname);
        Optional.ofNullable(runtime).ifPresent(builder::runtime);
        String option = labels.keySet().stream().anyMatch(k -> k.startsWith(ContainerSpec.GANTRY_LABEL_PREFIX))
                ? "--label" : "the options";
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    ("--label".equals(option) ? "Invalid value for option '--label': " : "Invalid options: ")
                            + e.getMessage(), e);
        }
    }

    private Optional<ByteSize> swap() {
        if (memorySwap == null || memorySwap.trim().equals("-1")) {
            return Optional.empty();
        }
        return GantryCommand.option(spec, "--memory-swap", () -> Optional.of(ByteSize.parse(memorySwap)));
    }

    private LogConfig log() {
        String driver = logDriver == null ? LogConfig.JSON_FILE : LogConfig.parseDriver(logDriver);
        LogConfig base = LogConfig.DEFAULT.withDriver(driver);
        if (!base.rotates()) {
            base = base.withRotation(0, Optional.empty());
        }
        return base.withDockerOptions(logOptions);
    }
}

package io.gantry.app.cli;

import io.gantry.config.AgentConfig;
import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerNotFoundException;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EngineException;
import io.gantry.app.refusals.RefusalSpool;
import io.gantry.core.provided.ProvidingEngine;
import io.gantry.core.policy.Admission;
import io.gantry.core.policy.AdmittingEngine;
import io.gantry.core.policy.ImageVerification;
import io.gantry.core.signature.VerifiedDigests;
import io.gantry.app.registry.OrasImageRegistry;
import io.gantry.core.policy.ContainerRefusedException;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.policy.Refusal;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.RestartPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code gantry} command: options shared by every subcommand, the engine they talk to, and how errors become one
 * line on standard error and an exit code ({@link ExitCodes}).
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = GantryVersion.class,
        description = "Manages the containers of this gateway's container engine.")
public final class GantryCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GantryCommand.class);
    /** Every subcommand, in the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, ConfigCommand.class, PsCommand.class,
            InspectCommand.class, CreateCommand.class, StartCommand.class, StopCommand.class, PauseCommand.class,
            ResumeCommand.class, RenameCommand.class, RmCommand.class, LogsCommand.class, ApplyCommand.class,
            StateCommand.class, DoctorCommand.class, DashboardPasswordCommand.class, VersionCommand.class,
            CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class);

    @Option(names = {"-H", "--host"}, scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The engine to talk to (unix:///path or tcp://host:port); default: $DOCKER_HOST, else "
                    + "engine.host of the configuration.")
    String host;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The configuration file; default: /etc/gantry/config.json when it exists.")
    Path config;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json.")
    OutputFormat output;

    @Spec
    CommandSpec spec;

    private final EngineFactory engines;
    private final TransportFactory transports;
    private final Clock clock;
    /** The caller's environment ({@code DOCKER_HOST}): the process's own, or a CLI's that the agent serves. */
    private final UnaryOperator<String> environment;

    public GantryCommand(EngineFactory engines, Clock clock) {
        this(engines, TransportFactory.hiveMq(), clock, System::getenv);
    }

    public GantryCommand(EngineFactory engines, TransportFactory transports, Clock clock,
                         UnaryOperator<String> environment) {
        this.engines = engines;
        this.transports = transports;
        this.clock = clock;
        this.environment = environment;
    }

    /**
     * The command line for {@code gantry}: converters for the domain types (so that the core parsers, with their
     * messages, read every option value), one-line errors, and the exit codes of {@link ExitCodes}.
     */
    public static CommandLine commandLine(EngineFactory engines, Clock clock) {
        return commandLine(engines, TransportFactory.hiveMq(), clock);
    }

    /** The command line with the MQTT connection of {@code apply} and {@code state} opened by {@code transports}. */
    public static CommandLine commandLine(EngineFactory engines, TransportFactory transports, Clock clock) {
        return commandLine(engines, transports, clock, System::getenv);
    }

    /** The command line reading the caller's environment variables from {@code environment}. */
    static CommandLine commandLine(EngineFactory engines, TransportFactory transports, Clock clock,
                                   UnaryOperator<String> environment) {
        return commandLine(engines, transports, clock, environment, SUBCOMMANDS);
    }

    /**
     * The command line for running {@code args} once, in the CLI's own JVM: for a quick command
     * ({@link AgentSocket#SERVED}) it holds only that subcommand, because picocli reads every subcommand's
     * annotations when it builds the model, which cost a {@code gantry ps} some 50 ms (docs/benchmarks.md). Every
     * other command line (help, an unknown or misspelt command, none at all) gets the whole model, so that help
     * lists every command and picocli can suggest the one meant.
     */
    public static CommandLine commandLineFor(String[] args, EngineFactory engines, Clock clock) {
        Optional<Class<?>> only = AgentSocket.subcommand(List.of(args)).filter(AgentSocket.SERVED::contains)
                .flatMap(name -> SUBCOMMANDS.stream().filter(c -> named(c, name)).findFirst());
        return commandLine(engines, TransportFactory.hiveMq(), clock, System::getenv,
                only.<List<Class<?>>>map(List::of).orElse(SUBCOMMANDS));
    }

    private static boolean named(Class<?> subcommand, String name) {
        Command command = subcommand.getAnnotation(Command.class);
        return command.name().equals(name) || List.of(command.aliases()).contains(name);
    }

    private static CommandLine commandLine(EngineFactory engines, TransportFactory transports, Clock clock,
                                           UnaryOperator<String> environment, List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new GantryCommand(engines, transports, clock, environment));
        // Added before the settings below, which apply to the subcommands present when they are made.
        subcommands.forEach(cli::addSubcommand);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        register(cli, ContainerName.class, ContainerName::parse);
        register(cli, ImageRef.class, ImageRef::parse);
        register(cli, EnvVar.class, EnvVar::parse);
        register(cli, PortMapping.class, PortMapping::parse);
        register(cli, Mount.class, Mount::parse);
        register(cli, DeviceMapping.class, DeviceMapping::parse);
        register(cli, ExtraHost.class, ExtraHost::parse);
        register(cli, NetworkMode.class, NetworkMode::parse);
        register(cli, RestartPolicy.class, RestartPolicy::parse);
        register(cli, ByteSize.class, ByteSize::parse);
        register(cli, Gpus.class, Gpus::parse);
        // After the image, everything is the container's command, options included (as in docker run).
        Optional.ofNullable(cli.getSubcommands().get("create")).ifPresent(create -> create.setStopAtPositional(true));
        // The bash completion script (the package installs it); hidden from the help, as picocli suggests.
        Optional.ofNullable(cli.getSubcommands().get("generate-completion"))
                .ifPresent(completion -> completion.getCommandSpec().usageMessage().hidden(true));
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("gantry: " + oneLine(withExpectedForm(e)));
            e.getCommandLine().getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            // A configuration file's problems are a list, one per line with its JSON path; all else is one line.
            err.println("gantry: " + (e instanceof ConfigFileException ? e.getMessage().strip() : oneLine(message(e))));
            err.flush();
            LOG.debug("Command failed", e);
            return exitCode(e);
        });
        return cli;
    }

    /**
     * The forms of the values whose parser's message (Kanto's wording, kept for the wire) does not say what was
     * expected; added to a bad-value message so that it always names the option and the expected form.
     */
    private static final Map<String, String> EXPECTED_FORMS = Map.of(
            "--name", "letters, digits and _ . -, not starting with . or -",
            "NEW_NAME", "letters, digits and _ . -, not starting with . or -",
            "--restart", "no, always, unless-stopped or on-failure[:MAX_RETRIES]",
            "--env", "NAME=VALUE, NAME= or NAME, with NAME of letters, digits and _",
            "--time", "a whole number of seconds",
            "--tail", "a number of lines",
            "--signal", "a signal such as SIGTERM, INT or 15");

    private static String withExpectedForm(ParameterException e) {
        String message = e.getMessage();
        if (message == null || !message.startsWith("Invalid value for") || message.indexOf(": ") < 0) {
            return message;
        }
        // The parser's own words follow picocli's "Invalid value for option '--x' (LABEL): ".
        String parsers = message.substring(message.indexOf(": ") + 2);
        if (parsers.contains("expected") || parsers.contains("e.g.") || parsers.contains(" (")) {
            return message;
        }
        String key = e.getArgSpec() instanceof CommandLine.Model.OptionSpec o ? o.longestName()
                : e.getArgSpec() != null ? e.getArgSpec().paramLabel() : optionNamed(message);
        String form = EXPECTED_FORMS.get(key);
        return form == null ? message : message + " (expected " + form + ")";
    }

    /** The option a message built by {@link #option} names: {@code Invalid value for option '--tail': …}. */
    private static String optionNamed(String message) {
        int start = message.indexOf('\'');
        int end = start < 0 ? -1 : message.indexOf('\'', start + 1);
        return end < 0 ? "" : message.substring(start + 1, end);
    }

    private static <T> void register(CommandLine cli, Class<T> type, Function<String, T> parser) {
        cli.registerConverter(type, text -> {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
    }

    static int exitCode(Exception e) {
        if (e instanceof EngineUnavailableException || e instanceof BrokerUnavailableException) {
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof DesiredStateException) {
            return ExitCodes.DATA;
        }
        if (e instanceof ConfigFileException) {
            return ExitCodes.CONFIG;
        }
        if (e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof ContainerRefusedException) {
            return ExitCodes.REFUSED;
        }
        return ExitCodes.FAILED;
    }

    private static String message(Exception e) {
        if (e instanceof EngineException || e instanceof IllegalArgumentException || e instanceof ConfigFileException
                || e instanceof BrokerUnavailableException || e instanceof DesiredStateException
                || e instanceof ContainerRefusedException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    // ---- for subcommands -------------------------------------------------------------------------------------

    /** The configuration the options name ({@code --config}, {@code --host}). */
    AgentConfig loadConfig() {
        return CliConfig.load(Optional.ofNullable(config), host());
    }

    /** The engine {@code --host} names, else {@code $DOCKER_HOST}; empty when neither is set. */
    Optional<String> host() {
        return Optional.ofNullable(host).or(() -> Optional.ofNullable(environment.apply("DOCKER_HOST")))
                .filter(h -> !h.isBlank());
    }

    EngineFactory engines() {
        return engines;
    }

    /** Runs {@code action} with the engine the options and configuration name, and closes it afterwards. */
    <T> T withEngine(Function<ContainerEngine, T> action) {
        AgentConfig config = loadConfig();
        // gantry create obeys the same policy and trust sections as the agent (docs/trust.md); its refusals are left
        // in the spool the agent counts and records them from ("Recent refusals").
        ContainerEngine opened = engines.open(config);
        RefusalSpool spool = new RefusalSpool(config.stateDir());
        OrasImageRegistry registry = new OrasImageRegistry(() -> config);
        ImageVerification verification = new ImageVerification(registry,
                new VerifiedDigests(config.stateDir(), clock), opened::imageFacts);
        ContainerEngine engine = new AdmittingEngine(new ProvidingEngine(opened, config.stateDir()),
                new Admission(config::policy, config::trust, opened::imageFacts, verification, refused -> spool.offer(
                        Refusal.of(clock.instant(), CreationOrigin.current().orElse(
                                new CreationOrigin(CreationOrigin.CLI, refused.image())), refused))));
        try {
            return action.apply(engine);
        } finally {
            registry.close();
            if (opened instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debug("Closing the engine failed: {}", e.toString());
                }
            }
        }
    }

    /** The container a name, id or unique id prefix names. */
    static Container resolve(ContainerEngine engine, String reference) {
        return engine.find(reference).orElseThrow(() -> new ContainerNotFoundException(reference, null));
    }

    /** Reads an option value with a core constructor, reporting its rejection as a bad value of {@code option}. */
    static <T> T option(CommandSpec spec, String option, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw badValue(spec, option, e);
        }
    }

    static ParameterException badValue(CommandSpec spec, String option, IllegalArgumentException e) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': "
                + e.getMessage(), e);
    }

    OutputFormat output() {
        return output;
    }

    Clock clock() {
        return clock;
    }

    TransportFactory transports() {
        return transports;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}

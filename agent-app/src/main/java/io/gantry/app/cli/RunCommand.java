package io.gantry.app.cli;

import io.gantry.app.logging.ConsoleLogging;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gantry run}: runs the agent in the foreground until SIGTERM or SIGINT. An invalid configuration file stops
 * it before anything starts, with every problem listed and exit code 78 (which the systemd unit does not restart).
 */
@Command(name = "run", description = "Runs the agent in the foreground until stopped (SIGTERM, Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Option(names = "--embedded-broker",
            description = "Start an embedded MQTT broker on 127.0.0.1 and connect to it instead of "
                    + "connection.broker_url (for trying Gantry with nothing but Docker).")
    boolean embeddedBroker;

    @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "1883",
            description = "The embedded broker's port (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Override
    public Integer call() throws Exception {
        Optional<Path> file = Optional.ofNullable(gantry.config)
                .or(() -> Files.exists(AgentConfig.DEFAULT_PATH) ? Optional.of(AgentConfig.DEFAULT_PATH)
                        : Optional.empty());
        AgentConfig config;
        try {
            config = file.isPresent() ? ConfigLoader.load(file.get()) : AgentConfig.DEFAULTS;
        } catch (ConfigException e) {
            gantry.err().println("gantry: refusing to start: " + e.getMessage().strip());
            gantry.err().flush();
            return ExitCodes.CONFIG;
        }
        ConsoleLogging.useAgentLogging(config.log());
        UnaryOperator<AgentConfig> overrides = UnaryOperator.identity();
        if (gantry.host().isPresent()) {
            String host = gantry.host().get();
            overrides = c -> CliConfig.withEngineHost(c, host);
        }
        // The agent's classes are reached through AgentRun only, so that no other command loads them.
        AgentRun.untilStopped(config, file, overrides, embeddedBroker ? Optional.of(brokerPort) : Optional.empty(),
                gantry.clock());
        return ExitCodes.OK;
    }

}

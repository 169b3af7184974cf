package io.gantry.app.cli;

import io.gantry.app.Agent;
import io.gantry.app.logging.ConsoleLogging;
import io.gantry.app.mqtt.EmbeddedBroker;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gantry run}: runs the agent in the foreground until SIGTERM or SIGINT. An invalid configuration file stops
 * it before anything starts, with every problem listed and exit code 78 (which the systemd unit does not restart).
 */
@Command(name = "run", description = "Runs the agent in the foreground until stopped (SIGTERM, Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

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

        EmbeddedBroker broker = null;
        UnaryOperator<AgentConfig> overrides = UnaryOperator.identity();
        if (gantry.host != null && !gantry.host.isBlank()) {
            String host = gantry.host;
            overrides = c -> CliConfig.withEngineHost(c, host);
        }
        if (embeddedBroker) {
            // In-memory broker; its few working files go to a temporary folder that stop() removes.
            broker = EmbeddedBroker.of(brokerPort, Path.of(System.getProperty("java.io.tmpdir")));
            broker.start();
            String url = broker.url();
            overrides = overrides.andThen(c -> withBroker(c, url))::apply;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Agent agent = Agent.start(config, file, overrides, gantry.clock());
        EmbeddedBroker brokerToStop = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping Gantry");
            agent.close();
            if (brokerToStop != null) {
                brokerToStop.stop();
            }
            stopped.countDown();
        }, "gantry-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    /** The configuration with the embedded broker's URL, plain TCP and no credentials (it allows anonymous clients). */
    static AgentConfig withBroker(AgentConfig c, String url) {
        return c.withConnection(c.connection().withBrokerUrl(url).withoutCredentials());
    }
}

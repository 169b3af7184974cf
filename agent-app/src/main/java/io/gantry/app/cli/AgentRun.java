package io.gantry.app.cli;

import io.gantry.app.Agent;
import io.gantry.app.mqtt.EmbeddedBroker;
import io.gantry.config.AgentConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's run for {@code gantry run}, in a class of its own: picocli instantiates every command for every call,
 * and only this class names the agent's machinery, so {@code gantry ps} never loads it.
 */
final class AgentRun {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRun.class);

    private AgentRun() {
    }

    /** Starts the agent (and an embedded broker on {@code brokerPort}, if given) and blocks until SIGTERM/SIGINT. */
    static void untilStopped(AgentConfig config, Optional<Path> file, UnaryOperator<AgentConfig> overrides,
                             Optional<Integer> brokerPort, Clock clock) throws Exception {
        EmbeddedBroker broker = null;
        UnaryOperator<AgentConfig> effective = overrides;
        if (brokerPort.isPresent()) {
            // In-memory broker; its few working files go to a temporary folder that stop() removes.
            broker = EmbeddedBroker.of(brokerPort.get(), Path.of(System.getProperty("java.io.tmpdir")));
            broker.start();
            String url = broker.url();
            effective = overrides.andThen(c -> withBroker(c, url))::apply;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Agent agent = Agent.start(config, file, effective, clock);
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
    }

    /** The configuration with the embedded broker's URL, plain TCP and no credentials (it allows anonymous clients). */
    static AgentConfig withBroker(AgentConfig c, String url) {
        return c.withConnection(c.connection().withBrokerUrl(url).withoutCredentials());
    }
}

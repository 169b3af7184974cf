package io.gantry.app.testing;

import io.gantry.app.Agent;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real Gantry agent started in the test's JVM from a configuration file written by the test, the way
 * {@code gantry run --config FILE} starts one (so live edits of the file are watched too).
 */
public final class AgentUnderTest implements AutoCloseable {

    private final Path configFile;
    private final Agent agent;

    private AgentUnderTest(Path configFile, Agent agent) {
        this.configFile = configFile;
        this.agent = agent;
    }

    /**
     * Writes {@code json} to {@code dir/config.json} and starts an agent with it. The JSON is a complete or partial
     * configuration file; the test decides broker URL, state dir, device id and so on.
     */
    public static AgentUnderTest start(Path dir, String json) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("config.json");
            Files.writeString(file, json);
            AgentConfig config = ConfigLoader.load(file);
            return new AgentUnderTest(file, Agent.start(config, Optional.of(file), UnaryOperator.identity(),
                    Clock.systemUTC()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The configuration file the agent watches; write it to test live edits. */
    public Path configFile() {
        return configFile;
    }

    public AgentConfig config() {
        return agent.config();
    }

    @Override
    public void close() {
        agent.close();
    }
}

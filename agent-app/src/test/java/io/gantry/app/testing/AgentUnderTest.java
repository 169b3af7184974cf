package io.gantry.app.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gantry.app.Agent;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigLoader;
import io.gantry.core.container.ContainerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * A real Gantry agent started in the test's JVM from a configuration file written by the test, the way
 * {@code gantry run --config FILE} starts one (so live edits of the file are watched too). It records what Gantry
 * logs at WARN and above while it runs.
 */
public final class AgentUnderTest implements AutoCloseable {

    private final Path configFile;
    private final Agent agent;
    private final Logger gantryLogger;
    private final ListAppender<ILoggingEvent> log;

    private AgentUnderTest(Path configFile, Agent agent, Logger gantryLogger, ListAppender<ILoggingEvent> log) {
        this.configFile = configFile;
        this.agent = agent;
        this.gantryLogger = gantryLogger;
        this.log = log;
    }

    /**
     * Writes {@code json} to {@code dir/config.json} and starts an agent with it. The JSON is a complete or partial
     * configuration file; the test decides broker URL, state dir, device id and so on.
     */
    public static AgentUnderTest start(Path dir, String json) {
        return start(dir, json, Map.of());
    }

    /**
     * The same, with {@code labels} ({@code io.gantry.test=…}) added to every container the agent creates, so that
     * the test can remove exactly what it caused, whichever command created it.
     */
    public static AgentUnderTest start(Path dir, String json, Map<String, String> labels) {
        Logger gantry = (Logger) LoggerFactory.getLogger("io.gantry");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        gantry.addAppender(appender);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("config.json");
            Files.writeString(file, json);
            AgentConfig config = ConfigLoader.load(file);
            UnaryOperator<ContainerEngine> decorator = labels.isEmpty() ? UnaryOperator.identity()
                    : engine -> new LabellingEngine(engine, labels);
            Agent agent = Agent.start(config, Optional.of(file), UnaryOperator.identity(), Clock.systemUTC(),
                    decorator);
            return new AgentUnderTest(file, agent, gantry, appender);
        } catch (IOException e) {
            gantry.detachAppender(appender);
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            gantry.detachAppender(appender);
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            gantry.detachAppender(appender);
            throw e;
        }
    }

    /** The configuration file the agent watches; write it to test live edits. */
    public Path configFile() {
        return configFile;
    }

    public AgentConfig config() {
        return agent.config();
    }

    /** What Gantry logged at WARN since the start, formatted. */
    public List<String> warnings() {
        return logged(Level.WARN);
    }

    /** What Gantry logged at ERROR since the start: each is a defect a guard caught. */
    public List<String> errors() {
        return logged(Level.ERROR);
    }

    private List<String> logged(Level level) {
        List<ILoggingEvent> events;
        synchronized (log) { // AppenderBase appends under the appender's lock
            events = List.copyOf(log.list);
        }
        return events.stream().filter(e -> e.getLevel() == level)
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        try {
            agent.close();
        } finally {
            gantryLogger.detachAppender(log);
            log.stop();
        }
    }
}

package io.gantry.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import io.gantry.config.LoggingConfig;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Gantry's logging setup, installed through logback's {@link Configurator} service (META-INF/services), which
 * logback consults before it looks for any {@code logback.xml}. That matters because other jars ship one on the
 * classpath (HiveMQ CE embedded, reference/dependencies.md §2.2), and it would otherwise decide what the CLI prints.
 *
 * <p>The default is the CLI's: warnings and errors only, on standard error, so that a command's standard output is
 * exactly its result. {@link #useAgentLayout} switches to the agent's layout (timestamps, on standard output, where
 * journald takes it). {@code -Dgantry.log.level=debug} raises the level for diagnosis. An explicit
 * {@code -Dlogback.configurationFile} is honoured as an operator's choice, and a {@code logback-test.xml} (which only
 * a test class path holds) as the tests'.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_TOP_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    /** System property that sets the root level (e.g. {@code debug}). */
    public static final String LEVEL_PROPERTY = "gantry.log.level";
    private static final String CLI_PATTERN = "%-5level %logger{0}: %msg%n%ex{short}";
    private static final String AGENT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            // An operator's explicit file, or a test run's logback-test.xml (never packaged), is logback's to load.
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        useCliLayout(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The CLI's layout: warnings and errors (or {@code -Dgantry.log.level}) on standard error. */
    static void useCliLayout(LoggerContext context) {
        apply(context, CLI_PATTERN, "System.err", Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.WARN));
    }

    /**
     * The agent's logging: {@code log.log_level} and above with timestamps and thread names, on standard output
     * (where journald takes it) or, with {@code log.log_file}, in that file, rotated at {@code log_file_size} and
     * keeping {@code log_file_count} compressed rotations (Kanto's settings). {@code -Dgantry.log.level} wins.
     */
    public static void useAgentLogging(LoggingConfig logging) {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Level level = Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.toLevel(logging.logLevel(), Level.INFO));
            if (logging.logFile().isEmpty()) {
                apply(context, AGENT_PATTERN, "System.out", level);
            } else {
                applyFile(context, logging, level);
            }
        }
    }

    /** Changes the root level of a running agent (a live edit of {@code log.log_level}). */
    public static void setLevel(String level) {
        if (System.getProperty(LEVEL_PROPERTY) == null
                && org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        }
    }

    private static void applyFile(LoggerContext context, LoggingConfig logging, Level level) {
        context.reset();
        PatternLayoutEncoder encoder = encoder(context, AGENT_PATTERN);
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(logging.logFile());
        file.setEncoder(encoder);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(logging.logFile() + ".%i.gz");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(Math.max(1, logging.logFileCount()));
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(logging.logFileSize().bytes()));
        // Check the size at every event (one stat call): an agent logs a few lines a minute, and the default
        // check interval would let a burst of lines overrun the size an operator chose for a small flash disk.
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(0));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.start();
        configureRoot(context, file, level);
    }

    private static void apply(LoggerContext context, String pattern, String target, Level level) {
        context.reset();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget(target);
        console.setEncoder(encoder(context, pattern));
        console.start();
        configureRoot(context, console, level);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    private static void configureRoot(LoggerContext context, ch.qos.logback.core.Appender<ILoggingEvent> appender,
                                      Level level) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // The embedded broker logs a dozen INFO lines at every start and stop.
        context.getLogger("com.hivemq").setLevel(Level.WARN);
        // httpclient5 logs every retried request at INFO; docker-java's own chatter is DEBUG material.
        context.getLogger("org.apache.hc").setLevel(Level.WARN);
        context.getLogger("com.github.dockerjava").setLevel(Level.WARN);
        // The ORAS SDK logs every failed request at ERROR with its stack trace; Gantry's own message says it once.
        context.getLogger("land.oras").setLevel(Level.OFF);
    }
}

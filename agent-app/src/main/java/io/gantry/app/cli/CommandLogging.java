package io.gantry.app.cli;

import io.gantry.app.logging.ConsoleLogging;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Chooses SLF4J's provider for a {@code gantry} process before anything logs. The Debian package ships slf4j-simple
 * beside logback: a quick command ({@link AgentSocket#SERVED}) run in the CLI's own JVM logs through slf4j-simple
 * (warnings and errors on standard error, as {@link ConsoleLogging}'s CLI layout does), which starts in a fraction of
 * the time logback's set-up took (docs/benchmarks.md). Every other command, and any run asked for logback's diagnosis
 * ({@code -Dgantry.log.level}, {@code -Dlogback.configurationFile}), uses logback, named explicitly so that SLF4J
 * neither searches the class path nor complains of two providers. Without slf4j-simple on the class path (a build's
 * tree, the tests) nothing is set, and an explicit {@code -Dslf4j.provider} is left alone.
 */
public final class CommandLogging {

    static final String PROVIDER_PROPERTY = "slf4j.provider";
    static final String SIMPLE = "org.slf4j.simple.SimpleServiceProvider";
    static final String LOGBACK = "ch.qos.logback.classic.spi.LogbackServiceProvider";
    /** SLF4J's own notes ("Attempting to load provider …") are INFO: kept off standard error. */
    private static final Map<String, String> QUIET_SLF4J = Map.of("slf4j.internal.verbosity", "WARN");

    private CommandLogging() {
    }

    /** Sets the system properties that {@link #choose} picks for {@code args}; call before the first logger. */
    public static void configure(String[] args) {
        boolean simple = CommandLogging.class.getClassLoader()
                .getResource(SIMPLE.replace('.', '/') + ".class") != null;
        choose(List.of(args), System.getProperties(), simple).forEach(System::setProperty);
    }

    /** The system properties to set for a command line, given the current ones and whether slf4j-simple is there. */
    static Map<String, String> choose(List<String> args, Properties current, boolean simpleAvailable) {
        if (!simpleAvailable || current.getProperty(PROVIDER_PROPERTY) != null) {
            return Map.of();
        }
        boolean diagnosis = current.getProperty(ConsoleLogging.LEVEL_PROPERTY) != null
                || current.getProperty("logback.configurationFile") != null;
        if (diagnosis || !AgentSocket.served(args)) {
            return with(Map.of(PROVIDER_PROPERTY, LOGBACK));
        }
        return with(Map.of(PROVIDER_PROPERTY, SIMPLE,
                "org.slf4j.simpleLogger.defaultLogLevel", "warn",
                "org.slf4j.simpleLogger.logFile", "System.err",
                "org.slf4j.simpleLogger.showThreadName", "false",
                "org.slf4j.simpleLogger.showShortLogName", "true",
                "org.slf4j.simpleLogger.levelInBrackets", "false"));
    }

    private static Map<String, String> with(Map<String, String> properties) {
        Map<String, String> all = new java.util.HashMap<>(QUIET_SLF4J);
        all.putAll(properties);
        return Map.copyOf(all);
    }
}

package io.gantry.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import io.gantry.config.ByteSize;
import io.gantry.config.LoggingConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The logging set-up. That the CLI's layout wins over HiveMQ CE's logback.xml on the real class path is shown by
 * {@code GantryProcessIT}; here the test class path holds a logback-test.xml, which the set-up leaves to logback.
 */
class ConsoleLoggingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    private Logger root() {
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    @AfterEach
    void restoreTheTestConfiguration() throws JoranException {
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void configure_leavesATestRunsLogbackTestXmlToLogback() throws IOException {
        List<URL> foreign = Collections.list(getClass().getClassLoader().getResources("logback.xml"));
        assertThat(foreign).anySatisfy(url -> assertThat(url.toString()).contains("hivemq"));

        assertThat(new ConsoleLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }

    @Test
    void cliLayout_warningsAndErrorsOnStandardError() {
        ConsoleLogging.useCliLayout(context);

        assertThat(root().getLevel()).isEqualTo(Level.WARN);
        assertThat(root().getAppender("console")).isInstanceOfSatisfying(ConsoleAppender.class,
                console -> assertThat(console.getTarget()).isEqualTo("System.err"));
        assertThat(LoggerFactory.getLogger("io.gantry.app.docker.ImagePuller").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("io.gantry.app.docker.ImagePuller").isWarnEnabled()).isTrue();
    }

    @Test
    void agentLogging_infoOnStandardOutput() {
        ConsoleLogging.useAgentLogging(LoggingConfig.DEFAULTS);

        assertThat(root().getLevel()).isEqualTo(Level.INFO);
        assertThat(root().getAppender("console")).isInstanceOfSatisfying(ConsoleAppender.class,
                console -> assertThat(console.getTarget()).isEqualTo("System.out"));
        assertThat(context.getLogger("org.apache.hc").getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void agentLogging_withLogFile_writesARotatedFile(@TempDir Path dir) {
        Path file = dir.resolve("gantry.log");

        ConsoleLogging.useAgentLogging(new LoggingConfig("DEBUG", file.toString(), ByteSize.parse("1k"), 2));
        for (int i = 0; i < 100; i++) {
            LoggerFactory.getLogger("io.gantry.test").info("line {} of a log that must rotate at one kilobyte", i);
        }

        assertThat(root().getLevel()).isEqualTo(Level.DEBUG);
        assertThat(file).exists();
        assertThat(dir.resolve("gantry.log.1.gz")).exists();
        assertThat(dir.resolve("gantry.log.3.gz")).doesNotExist();
    }

    @Test
    void setLevel_changesTheRunningLevel() {
        ConsoleLogging.useAgentLogging(LoggingConfig.DEFAULTS);

        ConsoleLogging.setLevel("DEBUG");

        assertThat(root().getLevel()).isEqualTo(Level.DEBUG);
    }
}

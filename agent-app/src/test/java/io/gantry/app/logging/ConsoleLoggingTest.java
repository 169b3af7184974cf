package io.gantry.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleLoggingTest {

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void cliLogging_winsOverAnotherJarsLogbackXml() throws IOException {
        // HiveMQ CE embedded (an optional dependency of agent-app) ships a logback.xml at the root of its jar.
        List<URL> foreign = Collections.list(getClass().getClassLoader().getResources("logback.xml"));
        assertThat(foreign).anySatisfy(url -> assertThat(url.toString()).contains("hivemq"));

        assertThat(root().getLevel()).isEqualTo(Level.WARN);
        assertThat(root().getAppender("console")).isInstanceOfSatisfying(ConsoleAppender.class,
                console -> assertThat(console.getTarget()).isEqualTo("System.err"));
        assertThat(LoggerFactory.getLogger("io.gantry.app.docker.ImagePuller").isInfoEnabled()).isFalse();
        assertThat(LoggerFactory.getLogger("io.gantry.app.docker.ImagePuller").isWarnEnabled()).isTrue();
    }

    @Test
    void agentLayout_logsInfoToStandardOutput() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        try {
            ConsoleLogging.useAgentLayout(Level.INFO);

            assertThat(root().getLevel()).isEqualTo(Level.INFO);
            assertThat(root().getAppender("console")).isInstanceOfSatisfying(ConsoleAppender.class,
                    console -> assertThat(console.getTarget()).isEqualTo("System.out"));
            assertThat(context.getLogger("org.apache.hc").getLevel()).isEqualTo(Level.WARN);
        } finally {
            new ConsoleLogging().configure(context);
        }
        assertThat(root().getLevel()).isEqualTo(Level.WARN);
    }
}

package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which SLF4J provider a {@code gantry} process gets, decided from its command line before anything logs. */
class CommandLoggingTest {

    private static Map<String, String> choose(List<String> args, Map<String, String> current, boolean simple) {
        Properties properties = new Properties();
        properties.putAll(current);
        return CommandLogging.choose(args, properties, simple);
    }

    @Test
    void aQuickCommand_logsThroughSlf4jSimple_warningsOnStandardError() {
        Map<String, String> chosen = choose(List.of("-H", "unix:///x", "ps", "-a"), Map.of(), true);

        assertThat(chosen).containsEntry("slf4j.provider", CommandLogging.SIMPLE)
                .containsEntry("org.slf4j.simpleLogger.defaultLogLevel", "warn")
                .containsEntry("org.slf4j.simpleLogger.logFile", "System.err")
                .containsEntry("slf4j.internal.verbosity", "WARN");
    }

    @Test
    void everythingElse_andEveryDiagnosis_getsLogback() {
        for (List<String> args : List.<List<String>>of(List.of("run"), List.of("create", "busybox"), List.of("--help"), List.of(),
                List.of("--config", "c.json", "ps"), List.of("logs", "web"))) {
            assertThat(choose(args, Map.of(), true)).as(String.join(" ", args))
                    .containsEntry("slf4j.provider", CommandLogging.LOGBACK);
        }
        assertThat(choose(List.of("ps"), Map.of("gantry.log.level", "debug"), true))
                .containsEntry("slf4j.provider", CommandLogging.LOGBACK);
        assertThat(choose(List.of("ps"), Map.of("logback.configurationFile", "/tmp/l.xml"), true))
                .containsEntry("slf4j.provider", CommandLogging.LOGBACK);
    }

    @Test
    void withoutSlf4jSimple_orWithAnExplicitProvider_nothingIsSet() {
        assertThat(choose(List.of("ps"), Map.of(), false)).isEmpty();
        assertThat(choose(List.of("ps"), Map.of("slf4j.provider", "x.Y"), true)).isEmpty();
    }
}

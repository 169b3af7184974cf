package io.gantry.app;

import static io.gantry.app.testing.MqttProbe.containing;
import static io.gantry.app.testing.MqttProbe.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Processes;
import io.gantry.config.AgentConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Live edits of the configuration file of a running agent (issue 6, "Live edits of the configuration file"). */
class ConfigReloadIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Mosquitto first;
    private Mosquitto second;
    private MqttProbe onFirst;
    private MqttProbe onSecond;
    private AgentUnderTest agent;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level rootLevel;

    @BeforeEach
    void brokersAndAgent() throws Exception {
        first = Mosquitto.on(dir).start();
        second = Mosquitto.on(dir).start();
        onFirst = MqttProbe.connect(first.port()).subscribe("e/#");
        onSecond = MqttProbe.connect(second.port()).subscribe("e/#");
        root().addAppender(log);
        rootLevel = root().getLevel();
        log.start();
        agent = AgentUnderTest.start(dir.resolve("agent"), config(first.port(), "reload.test:gw1", "INFO"));
        onFirst.await(WAIT, on("e/reload/reload.test:gw1:edge:containers").and(containing("/features/ContainerFactory")));
    }

    @AfterEach
    void stop() {
        agent.close();
        onFirst.close();
        onSecond.close();
        first.close();
        second.close();
        root().detachAppender(log);
        root().setLevel(rootLevel);
    }

    @Test
    void brokerUrlChange_reconnectsToTheNewBrokerAndPublishesTheWholeTwinThere() throws Exception {
        save(config(second.port(), "reload.test:gw1", "INFO"));

        onSecond.await(WAIT, on("e/reload/reload.test:gw1:edge:containers")
                .and(containing("/features/ContainerFactory")));
        onSecond.await(WAIT, containing("/features/SoftwareUpdatable"));
        assertThat(agent.config().connection().brokerUrl()).isEqualTo("tcp://127.0.0.1:" + second.port());
    }

    @Test
    void validEdit_isApplied_levelAndDeviceChangeAtOnce() throws Exception {
        save(config(first.port(), "reload.test:gw2", "DEBUG"));

        onFirst.await(WAIT, on("e/reload/reload.test:gw2:edge:containers")
                .and(containing("/features/ContainerFactory")));
        await().atMost(WAIT).until(() -> root().getLevel() == Level.DEBUG);
        assertThat(messages(Level.WARN)).noneMatch(m -> m.contains("takes effect at the next start"));
    }

    @Test
    void invalidEdit_isReportedOnceWithItsPath_andTheRunningConfigurationStays() throws Exception {
        AgentConfig before = agent.config();

        save("{\"connection\": {\"broker_url\": \"tcp://127.0.0.1:" + first.port()
                + "\", \"keep_alive\": \"20x\"}, \"thingz\": {}}");

        await().atMost(WAIT).until(() -> messages(Level.ERROR).stream().anyMatch(m -> m.contains("keep_alive")));
        List<String> errors = messages(Level.ERROR);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("connection.keep_alive").contains("thingz");
        assertThat(agent.config()).isEqualTo(before);

        // The agent still works, and the next valid edit is applied.
        save(config(first.port(), "reload.test:gw3", "INFO"));
        onFirst.await(WAIT, on("e/reload/reload.test:gw3:edge:containers")
                .and(containing("/features/ContainerFactory")));
    }

    @Test
    void restartOnlyChange_isNamedInAWarning() throws Exception {
        save(config(first.port(), "reload.test:gw1", "INFO").replace("\"log_level\": \"INFO\"",
                "\"log_level\": \"INFO\", \"log_file_count\": 3"));

        await().atMost(WAIT).until(() -> messages(Level.WARN).stream()
                .anyMatch(m -> m.contains("log.log_file_count") && m.contains("next start")));
    }

    @Test
    void prometheusEndpoint_startsMovesAndStops_withoutARestart() throws Exception {
        int firstPort = Processes.freePort();
        int secondPort = Processes.freePort();
        String base = config(first.port(), "reload.test:gw1", "INFO");

        save(withPrometheus(base, true, firstPort));
        await().atMost(WAIT).until(() -> serves(firstPort));
        save(withPrometheus(base, true, secondPort));
        await().atMost(WAIT).until(() -> serves(secondPort) && !serves(firstPort));
        save(withPrometheus(base, false, secondPort));
        await().atMost(WAIT).until(() -> !serves(secondPort));

        assertThat(messages(Level.WARN)).noneMatch(m -> m.contains("takes effect at the next start"));
    }

    private static String withPrometheus(String config, boolean enable, int port) {
        return config.replace("\"state_dir\"", "\"metrics\": {\"prometheus\": {\"enable\": " + enable
                + ", \"listen\": \"127.0.0.1:" + port + "\"}},\n \"state_dir\"");
    }

    /** True when {@code GET /metrics} on the port answers with Gantry's figures. */
    private static boolean serves(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("gantry_mqtt_connected 1");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String config(int port, String device, String level) {
        return """
                {"log": {"log_level": "%s"},
                 "connection": {"broker_url": "tcp://127.0.0.1:%d"},
                 "things": {"device_id": "%s", "tenant_id": "reload"},
                 "update_agent": {"enable": false},
                 "deployment": {"enable": false},
                 "state_dir": "%s"}
                """.formatted(level, port, device, dir.resolve("state"));
    }

    /** Saves the file the way many editors do: write a new file, then rename it over the old one. */
    private void save(String json) throws Exception {
        Path tmp = agent.configFile().resolveSibling(".config.json.swp");
        Files.writeString(tmp, json);
        Files.move(tmp, agent.configFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private List<String> messages(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    }
}

package io.gantry.app.mqtt;

import io.gantry.core.testing.LogCapture;
import io.gantry.app.testing.Mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.gantry.config.Secret;
import io.gantry.config.TlsConfig;
import io.gantry.core.transport.MessageTransport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** User name and password against a Mosquitto that lets no anonymous client in. */
class HiveMqTransportAuthIT {

    private static final String USER = "gantry";
    private static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    static Path dir;
    static Mosquitto mosquitto;

    @RegisterExtension
    final Transports transports = new Transports();

    @BeforeAll
    static void startBroker() throws Exception {
        mosquitto = Mosquitto.withUser(dir, USER, PASSWORD).start();
    }

    @AfterAll
    static void stopBroker() {
        mosquitto.stop();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void rightPassword_isAccepted(String version) {
        Inbox inbox = new Inbox();
        HiveMqTransport transport = transports.echoing(
                TestConnections.of(mosquitto.url(), version, USER, Secret.of(PASSWORD), TlsConfig.NONE),
                "gantry/auth/echo", inbox);

        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            transport.start();

            await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly("gantry/auth/echo=connected"));
            assertThat(capture.all()).noneMatch(m -> m.contains(PASSWORD));
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void wrongPassword_isRetriedAndReportedOnce(String version) {
        String wrong = "not-" + PASSWORD;
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport transport = transports.create(
                TestConnections.of(mosquitto.url(), version, USER, Secret.of(wrong), TlsConfig.NONE));
        transport.addConnectionListener(log);
        List<String> failures = new CopyOnWriteArrayList<>();
        transport.addConnectionListener(new MessageTransport.ConnectionListener() {
            @Override
            public void onConnected() {
                failures.add("connected");
            }

            @Override
            public void onConnectFailed(String reason) {
                failures.add(reason);
            }
        });

        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            transport.start();

            await().until(() -> capture.at(Level.DEBUG).stream()
                    .filter(m -> m.startsWith("MQTT connection attempt")).count() >= 3);
            assertThat(capture.at(Level.WARN)).singleElement().asString()
                    .startsWith("Cannot connect to MQTT broker " + mosquitto.url() + ": ")
                    .containsAnyOf("NOT_AUTHORIZED", "BAD_USER_NAME_OR_PASSWORD");
            assertThat(capture.all()).noneMatch(m -> m.contains(wrong) || m.contains(PASSWORD));
            assertThat(transport.isConnected()).isFalse();
            assertThat(log.events()).isEmpty();
            await().until(() -> failures.size() >= 3);
            assertThat(failures).allSatisfy(reason -> assertThat(reason)
                    .containsAnyOf("NOT_AUTHORIZED", "BAD_USER_NAME_OR_PASSWORD").doesNotContain(wrong));
            assertThat(Arrays.stream(mosquitto.log().split("\n")).filter(l -> l.contains("not authorised")).count())
                    .isGreaterThanOrEqualTo(3);
        }
    }
}

package io.gantry.app.mqtt;

import io.gantry.core.testing.LogCapture;
import io.gantry.app.testing.Mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.gantry.app.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ws://} URLs, against a HiveMQ CE broker with a WebSocket listener (the Debian Mosquitto has no WebSocket
 * support); the path of the URL is the listener's path.
 */
class HiveMqTransportWebSocketIT {

    @TempDir
    static Path dir;
    static EmbeddedHiveMQ hivemq;
    static int port;

    @RegisterExtension
    final Transports transports = new Transports();

    @BeforeAll
    static void startBroker() throws Exception {
        port = Processes.freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <hivemq>
                    <listeners>
                        <websocket-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                            <path>/mqtt</path>
                            <subprotocols><subprotocol>mqtt</subprotocol></subprotocols>
                        </websocket-listener>
                    </listeners>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withoutLoggingBootstrap().build();
        hivemq.start().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        hivemq.stop().get(60, TimeUnit.SECONDS);
        hivemq.close();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void webSocketUrl_connectsToThePath(String version) {
        Inbox inbox = new Inbox();
        HiveMqTransport transport = transports.echoing(
                TestConnections.to("ws://localhost:" + port + "/mqtt", version), "gantry/ws/echo", inbox);

        transport.start();

        await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly("gantry/ws/echo=connected"));
    }

    @Test
    void webSocketUrl_otherPath_isNotServed() {
        HiveMqTransport transport = transports.create(TestConnections.to("ws://localhost:" + port + "/other", "5"));
        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            transport.start();

            // HiveMQ leaves a handshake on another path unanswered; the client gives up after its 10 s timeout.
            await().atMost(Duration.ofSeconds(30)).until(() -> !capture.at(Level.WARN).isEmpty());
            assertThat(capture.at(Level.WARN)).singleElement().asString().startsWith("Cannot connect");
            assertThat(transport.isConnected()).isFalse();
        }
    }
}

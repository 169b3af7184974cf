package io.gantry.app.mqtt;

import io.gantry.core.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.gantry.config.Secret;
import io.gantry.config.TlsConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What the transport does without a broker: settings checked at construction, publishing refused before start. */
class HiveMqTransportTest {

    @Test
    void new_badBrokerUrl_namesIt() {
        assertThatThrownBy(() -> new HiveMqTransport(TestConnections.to("http://localhost", "3.1.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connection.broker_url: \"http://localhost\" is not a broker URL");
    }

    @Test
    void new_unknownProtocolVersion_isRejected() {
        assertThatThrownBy(() -> new HiveMqTransport(TestConnections.to("tcp://localhost", "4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connection.protocol_version: \"4\" is not an MQTT protocol version");
    }

    @Test
    void new_tlsUrlWithMissingCa_namesTheFile() {
        TlsConfig tls = new TlsConfig("/nonexistent/ca.crt", "", "");
        assertThatThrownBy(() -> new HiveMqTransport(
                TestConnections.of("ssl://localhost", "3.1.1", "", Secret.NONE, tls)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/nonexistent/ca.crt does not exist");
    }

    @Test
    void new_tlsFilesWithPlainUrl_warnsThatTheyAreNotUsed() {
        TlsConfig tls = new TlsConfig("/nonexistent/ca.crt", "", "");
        try (LogCapture log = LogCapture.of(BrokerSettings.class);
             HiveMqTransport transport = new HiveMqTransport(
                     TestConnections.of("tcp://localhost", "3.1.1", "", Secret.NONE, tls))) {
            assertThat(transport.isConnected()).isFalse();
            assertThat(log.at(Level.WARN)).singleElement().asString().contains("not a TLS URL");
        }
    }

    @Test
    void publish_beforeStart_failsAtOnce() {
        try (HiveMqTransport transport = new HiveMqTransport(TestConnections.to("tcp://localhost", "3.1.1"))) {
            assertThat(transport.publish("a/b", "x".getBytes(StandardCharsets.UTF_8), false))
                    .isCompletedExceptionally()
                    .failsWithin(java.time.Duration.ZERO)
                    .withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("not connected to MQTT broker tcp://localhost");
        }
    }

    @Test
    void subscribe_malformedFilter_isRejected() {
        try (HiveMqTransport transport = new HiveMqTransport(TestConnections.to("tcp://localhost", "5"))) {
            assertThatThrownBy(() -> transport.subscribe("a/#/b", (topic, payload) -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void stop_beforeStart_isHarmlessAndRepeatable() {
        HiveMqTransport transport = new HiveMqTransport(TestConnections.to("tcp://localhost", "3.1.1"));
        transport.stop();
        transport.stop();
        assertThat(transport.isConnected()).isFalse();
        assertThatThrownBy(transport::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reconfigure_badSettings_isRejectedNamingThem() {
        try (HiveMqTransport transport = new HiveMqTransport(TestConnections.to("tcp://localhost", "3.1.1"))) {
            assertThatThrownBy(() -> transport.reconfigure(TestConnections.to("tcp://localhost:99999", "3.1.1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("connection.broker_url: ");
        }
    }

    @Test
    void reconfigure_afterStop_isRejected() {
        HiveMqTransport transport = new HiveMqTransport(TestConnections.to("tcp://localhost", "3.1.1"));
        transport.stop();

        assertThatThrownBy(() -> transport.reconfigure(TestConnections.to("tcp://localhost", "5")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reason_leavesOutWrappersThatOnlyRepeatTheCause() {
        ConnectException refused = new ConnectException("Connection refused: localhost/127.0.0.1:1883");
        IOException wrapper = new IOException("io.netty.channel.AnnotatedConnectException: "
                + refused.getMessage(), refused);

        assertThat(HiveMqTransport.reason(new CompletionException(wrapper)))
                .isEqualTo("Connection refused: localhost/127.0.0.1:1883");
        assertThat(HiveMqTransport.reason(new IllegalStateException("CONNACK: NOT_AUTHORIZED")))
                .isEqualTo("CONNACK: NOT_AUTHORIZED");
        assertThat(HiveMqTransport.reason(new IllegalStateException("handshake failed", refused)))
                .isEqualTo("handshake failed: Connection refused: localhost/127.0.0.1:1883");
        assertThat(HiveMqTransport.reason(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}

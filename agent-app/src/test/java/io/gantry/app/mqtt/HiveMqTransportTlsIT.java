package io.gantry.app.mqtt;

import io.gantry.core.testing.LogCapture;
import io.gantry.app.testing.Mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.gantry.config.Secret;
import io.gantry.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TLS with a CA and a client certificate against a Mosquitto listener that requires one ({@code require_certificate
 * true}), with certificates made by {@code openssl} in the test.
 */
class HiveMqTransportTlsIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static Mosquitto mosquitto;

    @RegisterExtension
    final Transports transports = new Transports();

    @BeforeAll
    static void startBroker() {
        pki = TestPki.create(dir);
        mosquitto = Mosquitto.on(dir, "cafile " + pki.caCert(), "certfile " + pki.serverCert(),
                "keyfile " + pki.serverKey(), "require_certificate true").start();
    }

    @AfterAll
    static void stopBroker() {
        mosquitto.stop();
    }

    @ParameterizedTest(name = "{0} MQTT {1}")
    @CsvSource(textBlock = """
            ssl,      3.1.1
            mqtts,    5
            tls,      5
            mqtt+ssl, 3.1.1
            tcps,     3.1.1
            """)
    void caAndClientCertificate_connect(String scheme, String version) {
        Inbox inbox = new Inbox();
        HiveMqTransport transport = transports.echoing(TestConnections.of(mosquitto.url(scheme), version, "",
                Secret.NONE, new TlsConfig(pki.caCert().toString(), pki.clientCert().toString(),
                        pki.clientKey().toString())), "gantry/tls/echo", inbox);

        transport.start();

        await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly("gantry/tls/echo=connected"));
    }

    @Test
    void noClientCertificate_isRefusedAndReported() {
        String reason = assertRefused(new TlsConfig(pki.caCert().toString(), "", ""));

        assertThat(reason).contains("certificate_required");
    }

    @Test
    void serverSignedByAnotherCa_isRefusedAndReported() {
        // The client certificate is no CA at all: the server's chain cannot be built from it.
        String reason = assertRefused(new TlsConfig(pki.clientCert().toString(), pki.clientCert().toString(),
                pki.clientKey().toString()));

        assertThat(reason).containsIgnoringCase("certification path");
    }

    @Test
    void serverCertificateNotNamingTheHost_isRefusedAndReported() {
        String url = "ssl://127.0.0.1:" + mosquitto.port();

        String reason = assertRefused(url, new TlsConfig(pki.caCert().toString(), pki.clientCert().toString(),
                pki.clientKey().toString()));

        assertThat(reason).contains("No subject alternative names matching IP address 127.0.0.1");
    }

    @Test
    void clientCertificateFromAnotherCa_isRefusedAndReported() throws Exception {
        Path other = Files.createTempDirectory(dir, "other");
        TestPki.openssl(other, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key",
                "-out", "self.crt", "-days", "1", "-subj", "/CN=stranger");

        String reason = assertRefused(mosquitto.url("ssl"), new TlsConfig(pki.caCert().toString(),
                other.resolve("self.crt").toString(), other.resolve("self.key").toString()));

        assertThat(reason).contains("unknown_ca");
    }

    private String assertRefused(TlsConfig tls) {
        return assertRefused(mosquitto.url("ssl"), tls);
    }

    private String assertRefused(String url, TlsConfig tls) {
        HiveMqTransport transport = transports.create(TestConnections.of(url, "3.1.1", "", Secret.NONE, tls));
        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            transport.start();

            await().until(() -> !capture.at(Level.WARN).isEmpty());
            assertThat(capture.at(Level.WARN)).singleElement().asString()
                    .startsWith("Cannot connect to MQTT broker " + url);
            assertThat(transport.isConnected()).isFalse();
            return capture.at(Level.WARN).get(0);
        }
    }
}

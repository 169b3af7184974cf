package io.gantry.app.dashboard;

import io.gantry.core.time.TimeSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.app.mqtt.TestPki;
import io.gantry.app.status.LiveStatus;
import io.gantry.config.AgentConfig;
import io.gantry.config.DashboardConfig;
import io.gantry.config.Secret;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.transport.RecordingTransport;
import io.gantry.metrics.report.MetricsReporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as the agent starts it: over HTTPS with a certificate and key made by {@code openssl}, and with the
 * update agent's feedback read from the transport into the status view.
 */
class DashboardTlsTest {

    private static final String FEEDBACK = "containersupdate/desiredstatefeedback";

    @TempDir
    Path dir;

    @Test
    void withCertificateAndKey_itSpeaksHttpsOnly_withHsts_andSecureCookies() throws Exception {
        TestPki pki = TestPki.create(dir);
        FakeContainerEngine engine = new FakeContainerEngine();
        RecordingTransport transport = new RecordingTransport();
        String hash = PasswordHash.of("right password".toCharArray(), 1000).format();
        DashboardConfig config = new DashboardConfig(true, "127.0.0.1:0", Secret.of(hash), Duration.ofMinutes(5),
                false, pki.serverCert().toString(), pki.serverKey().toString());
        try (MetricsReporter reporter = MetricsReporter.startEngineOnly(engine, s -> { }, Duration.ofSeconds(1),
                Clock.systemUTC());
             Dashboard dashboard = Dashboard.start(config, engine, reporter, transport, Optional.of(FEEDBACK),
                     LiveStatus::ofThisProcess, () -> TimeSync.unknown("not asked"), () -> AgentConfig.DEFAULTS,
                     new Dashboard.Descriptors(file -> Optional.empty(),
                     io.gantry.app.registry.SavedCredentials.load(dir)), Clock.systemUTC())) {
            int port = dashboard.address().getPort();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(pki.caCert()))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/login")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Strict-Transport-Security")).isPresent();
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                            + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("password=right+password")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("Secure", "HttpOnly");

            transport.deliver(FEEDBACK, "{\"activityId\":\"op-1\",\"timestamp\":5,\"payload\":{\"status\":\"COMPLETED\"}}");
            HttpResponse<String> status = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/api/status")).header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("\"activity_id\":\"op-1\"", "\"status\":\"COMPLETED\"");

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/login")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aKeyThatIsNotTheCertificates_isRefusedAtStart_namingTheKeys() throws Exception {
        TestPki pki = TestPki.create(dir);
        DashboardConfig config = new DashboardConfig(true, "127.0.0.1:0",
                Secret.of(PasswordHash.of("x".toCharArray(), 1000).format()), Duration.ofMinutes(5), false,
                pki.serverCert().toString(), pki.clientKey().toString());
        FakeContainerEngine engine = new FakeContainerEngine();
        try (MetricsReporter reporter = MetricsReporter.startEngineOnly(engine, s -> { }, Duration.ofSeconds(1),
                Clock.systemUTC())) {
            assertThatThrownBy(() -> Dashboard.start(config, engine, reporter, new RecordingTransport(),
                    Optional.empty(), LiveStatus::ofThisProcess, () -> TimeSync.unknown("not asked"),
                    () -> AgentConfig.DEFAULTS, new Dashboard.Descriptors(file -> Optional.empty(),
                     io.gantry.app.registry.SavedCredentials.load(dir)), Clock.systemUTC()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dashboard.tls_key");
        }
    }

    private static SSLContext trusting(Path caCert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}

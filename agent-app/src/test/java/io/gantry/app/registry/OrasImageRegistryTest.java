package io.gantry.app.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.gantry.app.testing.LoopbackTls;
import io.gantry.config.AgentConfig;
import io.gantry.config.EngineConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.config.TlsConfig;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against an HTTPS server of the test's own, whose certificate a CA made here issued: the
 * configured {@code transport.root_ca} is what makes it trusted, and a registry that answers garbage, an error or
 * nothing in time fails with a clear message and the reason a pull would have.
 */
class OrasImageRegistryTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static Path ca;
    /** What the server answers a manifest request with: status, digest header (or null), delay. */
    private static final AtomicReference<Object[]> answer = new AtomicReference<>();

    @BeforeAll
    static void serve() throws Exception {
        LoopbackTls tls = LoopbackTls.make(dir.resolve("pki"));
        ca = tls.ca();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server()));
        server.createContext("/", OrasImageRegistryTest::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "registry-test");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        Object[] a = answer.get();
        try {
            Thread.sleep((Long) a[2]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (a[1] != null) {
            exchange.getResponseHeaders().add("Docker-Content-Digest", (String) a[1]);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        exchange.sendResponseHeaders((Integer) a[0], -1);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static OrasImageRegistry client(String rootCa, Duration timeout) {
        AgentConfig d = AgentConfig.DEFAULTS;
        EngineConfig engine = new EngineConfig(EngineConfig.DEFAULTS.host(), EngineConfig.DEFAULTS.defaultStopTimeout(),
                EngineConfig.DEFAULTS.connectTimeout(), EngineConfig.DEFAULTS.apiTimeout(), 0, timeout);
        AgentConfig config = new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(), engine,
                Map.of(address(), new RegistryConfig(RegistryConfig.Credentials.NONE, new TlsConfig(rootCa, "", ""),
                        false)), d.deployment(), d.policy(), d.trust(), d.stateDir());
        return new OrasImageRegistry(() -> config);
    }

    private static String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static ImageRef image() {
        return ImageRef.parse(address() + "/apps/web:1");
    }

    @Test
    void resolve_overTlsWithTheConfiguredCa_givesTheManifestDigest() {
        answer.set(new Object[] {200, DIGEST, 0L});
        try (OrasImageRegistry registry = client(ca.toString(), Duration.ofSeconds(10))) {
            assertThat(registry.resolve(image())).isEqualTo(DIGEST);
        }
    }

    @Test
    void resolve_withoutTheCa_failsTheTlsHandshake() {
        answer.set(new Object[] {200, DIGEST, 0L});
        try (OrasImageRegistry registry = client("", Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> registry.resolve(image())).isInstanceOf(ImagePullException.class)
                    .hasMessageStartingWith("resolution of " + image() + " failed: ");
        }
    }

    @Test
    void resolve_ofAGarbageAnswer_anError_orAnUnknownTag_isClear() {
        try (OrasImageRegistry registry = client(ca.toString(), Duration.ofSeconds(10))) {
            answer.set(new Object[] {200, "not-a-digest", 0L});
            assertThatThrownBy(() -> registry.resolve(image())).isInstanceOfSatisfying(ImagePullException.class,
                    e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.FAILED)).hasMessage(
                    "resolution of " + image() + " failed: the registry " + address() + " answered what is not a"
                            + " registry's answer: Invalid digest: not-a-digest");
            answer.set(new Object[] {404, null, 0L});
            assertThatThrownBy(() -> registry.resolve(image())).isInstanceOfSatisfying(ImagePullException.class,
                    e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.NOT_FOUND));
            answer.set(new Object[] {503, null, 0L});
            assertThatThrownBy(() -> registry.resolve(image())).isInstanceOfSatisfying(ImagePullException.class,
                    e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.NETWORK))
                    .hasMessage("resolution of " + image() + " failed: the registry " + address() + " answered 503");
        }
    }

    @Test
    void resolve_ofARegistryThatDoesNotAnswerInTime_givesUpAfterTheTimeout() {
        answer.set(new Object[] {200, DIGEST, 30_000L});
        try (OrasImageRegistry registry = client(ca.toString(), Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> registry.resolve(image())).isInstanceOfSatisfying(ImagePullException.class,
                    e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.NETWORK)).hasMessage(
                    "resolution of " + image() + " failed: the registry " + address() + " did not answer within 1 s");
            // Not a speed check: without the bound the call would wait for the server's 30 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }
}

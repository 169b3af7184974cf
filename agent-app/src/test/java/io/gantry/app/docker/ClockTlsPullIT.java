package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gantry.app.testing.Processes;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.time.TimeSync;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pull whose TLS verification fails, from the real Docker daemon, against a real TLS server ({@code openssl
 * s_server}) with a certificate no one trusts, on a non-loopback address (Docker trusts loopback registries without
 * TLS): while the status source says the clock is not synchronised, the error says so first.
 */
class ClockTlsPullIT {

    private static Path directory;
    private static Process server;
    private static String address;

    @BeforeAll
    static void startAnUntrustedTlsServer() throws Exception {
        directory = Files.createTempDirectory("gantry-clock-tls");
        Processes.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", directory.resolve("server.key").toString(), "-out", directory.resolve("server.crt").toString(),
                "-subj", "/CN=registry.gantry.test");
        int port = Processes.freePort();
        server = new ProcessBuilder("openssl", "s_server", "-accept", String.valueOf(port), "-www", "-quiet",
                "-cert", directory.resolve("server.crt").toString(), "-key", directory.resolve("server.key").toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
        address = hostAddress().getHostAddress() + ":" + port;
        awaitListening(port);
    }

    @AfterAll
    static void stopServer() {
        Processes.stop(server, 5);
        Processes.run("rm", "-rf", directory.toString());
    }

    private static InetAddress hostAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        throw new IllegalStateException("this host has no non-loopback IPv4 address for the TLS server");
    }

    private static void awaitListening(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("openssl s_server did not listen: " + Files.readString(directory.resolve("server.log")));
    }

    private static ImagePullException pull(TimeSync clock) {
        AtomicReference<AgentConfig> config = new AtomicReference<>(AgentConfig.DEFAULTS);
        try (DockerContainerEngine engine = new DockerContainerEngine(config::get, () -> clock)) {
            return catchThrowableOfType(ImagePullException.class,
                    () -> engine.pull(ImageRef.parse(address + "/gantry-test/app:1"), e -> { }));
        }
    }

    @Test
    void aTlsFailure_whileTheClockIsNotSynchronised_saysSoFirst() {
        ImagePullException e = pull(TimeSync.notSynchronised("test: RTC not set"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("pull of " + address + "/gantry-test/app:1 failed: the system clock is"
                + " not synchronised (test: RTC not set), so TLS certificates cannot be checked; synchronise the clock"
                + " and retry. ").contains("x509");
    }

    @Test
    void theSameFailure_withASynchronisedClock_isTheEnginesMessageAlone() {
        ImagePullException e = pull(TimeSync.synchronised("test: ntp"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).doesNotContain("clock").contains("x509");
    }
}

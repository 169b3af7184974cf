package io.gantry.app.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A private image registry (Debian's {@code docker-registry}, the CNCF distribution) on a free port of 127.0.0.1,
 * optionally with htpasswd (bcrypt) authentication, over plain HTTP or only HTTPS. Docker treats 127.0.0.0/8 as an
 * insecure registry without configuration: it speaks plain HTTP there, and HTTPS without verifying the certificate
 * (a registry started with TLS refuses plain HTTP, so a {@code docker push} to it went over TLS).
 */
public final class LocalRegistry implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Optional<LoopbackTls> tls;

    private LocalRegistry(Process process, int port, Optional<LoopbackTls> tls) {
        this.process = process;
        this.port = port;
        this.tls = tls;
    }

    /** Starts a registry storing into {@code directory}; with a user, every request needs that user's password. */
    public static LocalRegistry start(Path directory, Optional<String> user, Optional<String> password)
            throws IOException {
        return start(directory, user, password, Optional.empty());
    }

    /** As {@link #start(Path, Optional, Optional)}, speaking only HTTPS with {@code tls}'s server certificate. */
    public static LocalRegistry start(Path directory, Optional<String> user, Optional<String> password,
                                      Optional<LoopbackTls> tls) throws IOException {
        int port = Processes.freePort();
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: error\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(directory.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        tls.ifPresent(t -> config.append("  tls:\n    certificate: ").append(t.certificate())
                .append("\n    key: ").append(t.key()).append('\n'));
        if (user.isPresent()) {
            Path htpasswd = directory.resolve("htpasswd");
            // The registry accepts bcrypt lines only ($2a$ from jbcrypt works); apache2-utils is not installed.
            Files.writeString(htpasswd, user.get() + ":" + BCrypt.hashpw(password.orElseThrow(), BCrypt.gensalt(5))
                    + "\n");
            config.append("auth:\n  htpasswd:\n    realm: gantry-test\n    path: ").append(htpasswd).append('\n');
        }
        Path file = directory.resolve("config.yml");
        Files.writeString(file, config);
        Process process = new ProcessBuilder("docker-registry", "serve", file.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, port, tls);
        registry.awaitReady();
        return registry;
    }

    /** {@code 127.0.0.1:<port>}, the registry part of an image reference. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://} or {@code https://} and the address. */
    public String url() {
        return (tls.isPresent() ? "https://" : "http://") + address();
    }

    private void awaitReady() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/v2/").toURL().openConnection();
                if (c instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(tls.orElseThrow().client().getSocketFactory());
                }
                c.setConnectTimeout(500);
                c.setReadTimeout(1000);
                int status = c.getResponseCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // keep waiting
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("docker-registry did not answer on " + address() + " within 20 s");
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}

package io.gantry.app.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Mosquitto started by a test on a free loopback port, with a listener configured by extra config lines
 * (TLS, a password file). It can be stopped, killed and started again on the same port.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Pattern SUBSCRIPTION = Pattern.compile("Received (SUBSCRIBE|UNSUBSCRIBE) from (\\S+)");
    private static final Pattern PUBLISH = Pattern.compile(
            "Received PUBLISH from (\\S+) \\(d\\d, q(\\d), r(\\d), m\\d+, '(.*)', \\.\\.\\. \\(\\d+ bytes\\)\\)");

    private final Path dir;
    private final int port;
    private final List<String> lines;
    private Process process;
    private int runs;

    private Mosquitto(Path dir, int port, List<String> lines) {
        this.dir = dir;
        this.port = port;
        this.lines = lines;
    }

    /** A broker (not started) that lets anonymous clients in, plus {@code lines} in its configuration. */
    public static Mosquitto on(Path dir, String... lines) {
        List<String> config = new ArrayList<>(List.of(lines));
        if (config.stream().noneMatch(l -> l.startsWith("allow_anonymous"))) {
            config.add("allow_anonymous true");
        }
        return new Mosquitto(dir, Processes.freePort(), config);
    }

    /** A broker (not started) that lets only {@code user} in, with {@code password} (a mosquitto_passwd file). */
    public static Mosquitto withUser(Path dir, String user, String password) {
        Path passwords = dir.resolve("passwords");
        Processes.run("mosquitto_passwd", "-c", "-b", passwords.toString(), user, password);
        return on(dir, "password_file " + passwords, "allow_anonymous false");
    }

    public Mosquitto start() {
        try {
            Path conf = dir.resolve("mosquitto-" + port + ".conf");
            runs++;
            List<String> config = new ArrayList<>();
            // Started as root, mosquitto would become user "mosquitto", who cannot read the test's private files.
            config.add("user " + System.getProperty("user.name"));
            config.add("listener " + port + " 127.0.0.1");
            config.addAll(lines);
            config.add("log_dest file " + logFile().toAbsolutePath());
            config.add("log_type all");
            Files.write(conf, config);
            Path out = dir.resolve("mosquitto-" + port + "-" + runs + ".out");
            process = new ProcessBuilder("mosquitto", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited: " + Files.readString(out));
                }
                return accepts();
            });
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a crash would. */
    public void kill() {
        end(true);
    }

    public void stop() {
        end(false);
    }

    public int port() {
        return port;
    }

    public String url(String scheme) {
        return scheme + "://localhost:" + port;
    }

    public String url() {
        return url("tcp");
    }

    /** Everything this broker logged in its latest run. */
    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the client {@code clientId} asked this broker to do in its latest run, read from the broker's log, in
     * order: {@code SUBSCRIBE <filter> (QoS n)}, {@code UNSUBSCRIBE <filter>} and {@code PUBLISH <topic> q<n> r<n>}.
     */
    public List<String> actionsOf(String clientId) {
        List<String> actions = new ArrayList<>();
        String pending = null;
        for (String raw : log().split("\n")) {
            String line = raw.replaceFirst("^\\d+: ", "");
            if (line.startsWith("\t")) {
                if (pending != null) {
                    actions.add(pending + " " + line.strip());
                }
                continue;
            }
            pending = null;
            Matcher sub = SUBSCRIPTION.matcher(line);
            Matcher pub = PUBLISH.matcher(line);
            if (sub.matches() && sub.group(2).equals(clientId)) {
                pending = sub.group(1);
            } else if (pub.matches() && pub.group(1).equals(clientId)) {
                actions.add("PUBLISH " + pub.group(4) + " q" + pub.group(2) + " r" + pub.group(3));
            }
        }
        return actions;
    }

    @Override
    public void close() {
        stop();
    }

    private Path logFile() {
        return dir.resolve("mosquitto-" + port + "-" + runs + ".log");
    }

    private void end(boolean kill) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        }
        Processes.stop(process, 10);
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package io.gantry.app.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Docker daemon of a test's own, for tests that stop, crash or freeze the engine: other tests and helpers share the
 * machine's main dockerd, which must never be stopped. It has its own socket, data-root, exec-root, pidfile, config
 * file and containerd, and its own bridge created here, with iptables off. It does not use {@code --bridge none},
 * which deletes docker0 and breaks the main daemon's networking (reference/dependencies.md, pitfall 16). Needs root.
 */
public final class SecondDockerd implements AutoCloseable {

    private final Path root;
    private final String bridge;
    private final String host;
    private Process daemon;

    private SecondDockerd(Path root, String bridge) {
        this.root = root;
        this.bridge = bridge;
        this.host = socket("docker.sock");
    }

    /** Creates the bridge and starts the daemon; the test image is there when this returns. */
    public static SecondDockerd start() {
        assertThat(Processes.run("id", "-u")).as("a second dockerd needs root").isEqualTo("0");
        try {
            // Short paths: a unix socket path must stay under 108 bytes, containerd's live below exec-root.
            Path root = Files.createTempDirectory(Path.of("/tmp"), "gx-");
            String bridge = "gx" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 20, 36).substring(0, 8);
            int subnet = 100 + ThreadLocalRandom.current().nextInt(150);
            Processes.run("ip", "link", "add", "name", bridge, "type", "bridge");
            Processes.run("ip", "addr", "add", "10.213." + subnet + ".1/24", "dev", bridge);
            Processes.run("ip", "link", "set", bridge, "up");
            Files.writeString(root.resolve("daemon.json"), "{}");
            SecondDockerd dockerd = new SecondDockerd(root, bridge);
            dockerd.restart();
            TestImages.ensureBusybox(dockerd.host());
            return dockerd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code unix://…/docker.sock}, for {@code engine.host} and {@code docker -H}. */
    public String host() {
        return host;
    }

    /** Another socket path in this daemon's directory, for {@link #startOn}. */
    public String socket(String name) {
        return "unix://" + root.resolve(name);
    }

    public long pid() {
        return daemon.pid();
    }

    /** Starts the daemon on its socket (after a crash or stop). */
    public void restart() {
        startOn(host);
    }

    /**
     * Starts the daemon, with the same data, on another socket: whoever watches {@link #host()} does not see what is
     * done through it.
     */
    public void startOn(String socket) {
        try {
            daemon = new ProcessBuilder("dockerd", "--host", socket,
                    "--config-file", root.resolve("daemon.json").toString(),
                    "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                    "--pidfile", root.resolve("docker.pid").toString(), "--bridge", bridge, "--iptables=false",
                    "--ip-masq=false", "--ip-forward=false", "--storage-driver", "vfs", "--log-level", "warn")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                            root.resolve("dockerd.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.attempt(Map.of(), "docker", "-H", socket,
                "version").exitCode() == 0);
    }

    /**
     * Kills the daemon as a crash would. Its containerd notices and exits shortly after; a dockerd started before that
     * adopts the dying containerd and then times out waiting for it, so this waits for it to be gone.
     */
    public void crash() {
        Processes.run("kill", "-KILL", Long.toString(daemon.pid()));
        waitForExit();
    }

    /** Stops the daemon as systemd would (SIGTERM): it stops its containers first. */
    public void stop() {
        daemon.destroy();
        waitForExit();
    }

    /** SIGSTOP: the daemon holds every connection and answers nothing. */
    public void freeze() {
        Processes.run("kill", "-STOP", Long.toString(daemon.pid()));
    }

    public void thaw() {
        Processes.run("kill", "-CONT", Long.toString(daemon.pid()));
    }

    private void waitForExit() {
        try {
            daemon.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitContainerdGone();
    }

    private void awaitContainerdGone() {
        Path pidFile = root.resolve("exec/containerd/containerd.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid;
        try {
            pid = Files.readString(pidFile).strip();
        } catch (IOException e) {
            return;
        }
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !Files.exists(Path.of("/proc", pid)));
        } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
            Processes.attempt(Map.of(), "kill", "-KILL", pid);
        }
    }

    /** Stops the daemon and removes its bridge and files. */
    @Override
    public void close() {
        if (daemon != null) {
            Processes.attempt(Map.of(), "kill", "-CONT", Long.toString(daemon.pid()));
            daemon.destroy();
            waitForExit();
        }
        // dockerd makes its data-root a mount point of its own; after a kill the mount stays behind.
        Processes.attempt(Map.of(), "umount", root.resolve("data").toString());
        Processes.attempt(Map.of(), "ip", "link", "del", bridge);
        Processes.attempt(Map.of(), "rm", "-rf", root.toString());
    }
}

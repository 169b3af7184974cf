package io.gantry.app.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Docker engine of a test class's own: a second dockerd next to the machine's main one (which other tests and
 * helpers share, and which must never be stopped), with its own socket, data-root, exec-root, containerd and bridge,
 * iptables off (reference/dependencies.md §5.3, pitfall 16: never {@code --bridge none}) but one FORWARD rule, so that
 * containers on the bridge reach each other.
 *
 * <p>End-to-end tests of the update agent point it here. A desired state is the whole truth about the managed
 * containers of an engine, so on the shared engine it would remove the managed containers of any other test that
 * happens to run at the same time; here the agent sees only the test's own containers, and a test can compare the
 * whole engine before and after. The docker CLI runs with a configuration directory of its own, so a
 * {@code docker login} here never touches the machine's credentials.
 */
public final class PrivateEngine implements TestEngine {

    private final Path root;
    private final String bridge;
    private final String host;
    private final ExitCleanup cleanupOnExit;
    private volatile Process daemon;

    private PrivateEngine(Path root, String bridge, String host) {
        this.root = root;
        this.bridge = bridge;
        this.host = host;
        this.cleanupOnExit = new ExitCleanup("private-dockerd-cleanup", this::stop);
    }

    /** Starts a daemon (about a second) with the test image {@link TestImages#BUSYBOX} in it. */
    public static PrivateEngine start() {
        return start(Optional.empty());
    }

    /**
     * A daemon whose data root is a tmpfs of {@code size} (e.g. {@code 48m}): a small disk, for the free-space
     * checks. The file system goes away with the engine.
     */
    public static PrivateEngine startOnTmpfs(String size) {
        return start(Optional.of(size));
    }

    private static PrivateEngine start(Optional<String> tmpfsSize) {
        try {
            if (!Processes.run("id", "-u").equals("0")) {
                throw new AssertionError("a private dockerd needs root");
            }
            // Short paths: a unix socket path must stay under 108 bytes, and containerd's live below exec-root.
            Path root = Files.createTempDirectory(Path.of("/tmp"), "gu-");
            // The top bit keeps 8 digits even for a small random number (it made the substring fail now and then).
            String bridge = "gu" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 20 | 1L << 43, 36)
                    .substring(0, 8);
            Processes.run("ip", "link", "add", "name", bridge, "type", "bridge");
            Processes.run("ip", "addr", "add", freeSubnet() + ".1/24", "dev", bridge);
            Processes.run("ip", "link", "set", bridge, "up");
            // With iptables off, nothing lets the bridge's containers reach each other: the main dockerd's FORWARD
            // policy drops bridged traffic (br_netfilter), so a container could not reach a peer by its address.
            Processes.run(forwardRule("-I", bridge));
            Files.writeString(root.resolve("daemon.json"), "{}");
            if (tmpfsSize.isPresent()) {
                Files.createDirectories(root.resolve("data"));
                Processes.run("mount", "-t", "tmpfs", "-o", "size=" + tmpfsSize.get(), "gantry-test-data",
                        root.resolve("data").toString());
            }
            Files.createDirectories(root.resolve("cli"));
            PrivateEngine engine = new PrivateEngine(root, bridge, "unix://" + root.resolve("docker.sock"));
            engine.restart();
            TestImages.ensureBusybox(engine.host());
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the daemon going away and coming back, for tests of what an agent does then ------------------------------

    /** Starts the daemon on its socket again, after {@link #crash()} or {@link #shutDown()}. */
    public void restart() {
        startOn(host);
    }

    /**
     * Starts the daemon, with the same data, on another socket ({@link #socket}): whoever watches {@link #host()} does
     * not see what is done through it.
     */
    public void startOn(String socket) {
        try {
            daemon = new ProcessBuilder("dockerd", "--host", socket,
                    "--config-file", root.resolve("daemon.json").toString(),
                    "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                    "--pidfile", root.resolve("docker.pid").toString(), "--bridge", bridge, "--iptables=false",
                    "--ip-masq=false", "--ip-forward=false", "--storage-driver", "vfs", "--log-level", "warn")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("dockerd.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.attempt(Map.of(), "docker", "-H", socket,
                "version").exitCode() == 0);
    }

    /** {@code unix://…/<name>}: another socket in this engine's directory, for {@link #startOn}. */
    public String socket(String name) {
        return "unix://" + root.resolve(name);
    }

    /** SIGKILL, as a crash would; returns when its containerd is gone too, so that it can be started again. */
    public void crash() {
        Processes.run("kill", "-KILL", Long.toString(daemon.pid()));
        awaitExit();
    }

    /** SIGTERM, as systemd stops it: the daemon stops its containers first. */
    public void shutDown() {
        daemon.destroy();
        awaitExit();
    }

    /** SIGSTOP: the daemon keeps every connection open and answers nothing until {@link #thaw()}. */
    public void freeze() {
        Processes.run("kill", "-STOP", Long.toString(daemon.pid()));
    }

    public void thaw() {
        Processes.run("kill", "-CONT", Long.toString(daemon.pid()));
    }

    private void awaitExit() {
        try {
            daemon.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitContainerdGone(root.resolve("exec"));
    }

    /** A /24 of 10.215.0.0/16 that no interface of the machine uses. */
    private static String freeSubnet() {
        String addresses = Processes.run("ip", "-4", "-o", "addr");
        for (int attempt = 0; attempt < 50; attempt++) {
            String subnet = "10.215." + (1 + ThreadLocalRandom.current().nextInt(250));
            if (!addresses.contains(" " + subnet + ".")) {
                return subnet;
            }
        }
        throw new AssertionError("no free 10.215.x.0/24 subnet");
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("DOCKER_HOST", host, "DOCKER_CONFIG", root.resolve("cli").toString());
    }

    @Override
    public void close() {
        cleanupOnExit.close();
    }

    private synchronized void stop() {
        if (!Files.exists(root)) {
            return;
        }
        Process daemon = this.daemon;
        if (daemon != null && daemon.isAlive()) {
            Processes.attempt(Map.of(), "kill", "-CONT", Long.toString(daemon.pid()));
            // Containers first, so that dockerd does not have to stop them with its 15 s shutdown timeout.
            Processes.Result ids = attempt("ps", "-aq");
            if (ids.exitCode() == 0 && !ids.stdout().isBlank()) {
                List<String> remove = new ArrayList<>(List.of("rm", "-f"));
                remove.addAll(List.of(ids.stdout().strip().split("\\s+")));
                attempt(remove.toArray(String[]::new));
            }
            daemon.destroy();
            try {
                daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (daemon.isAlive()) {
                daemon.destroyForcibly();
            }
        }
        awaitContainerdGone(root.resolve("exec"));
        // dockerd leaves mounts behind: its data-root, and the default network namespace under exec-root (nsfs)
        // once a container used the host network. Deepest first, or rm cannot remove the directories.
        for (String mountPoint : mountsBelow(root)) {
            Processes.attempt(Map.of(), "umount", mountPoint);
        }
        Processes.attempt(Map.of(), forwardRule("-D", bridge));
        Processes.attempt(Map.of(), "ip", "link", "del", bridge);
        Processes.attempt(Map.of(), "rm", "-rf", root.toString());
    }

    /** The iptables command that adds or deletes the rule accepting traffic between the containers of the bridge. */
    private static String[] forwardRule(String operation, String bridge) {
        return new String[] {"iptables", operation, "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT"};
    }

    /** The mount points below {@code root}, deepest first. */
    static List<String> mountsBelow(Path root) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" ")[1])
                    .filter(m -> m.startsWith(root + "/")).sorted(java.util.Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return List.of(root.resolve("data").toString());
        }
    }

    /**
     * Waits for the containerd of a dockerd that was stopped or killed (its {@code --exec-root}) to end, and kills it
     * after 15 s: a dockerd started again before then adopts the dying containerd and times out waiting for it.
     */
    public static void awaitContainerdGone(Path execRoot) {
        Path pidFile = execRoot.resolve("containerd/containerd.pid");
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
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !Files.exists(Path.of("/proc", pid)));
        } catch (org.awaitility.core.ConditionTimeoutException stillThere) {
            Processes.attempt(Map.of(), "kill", "-KILL", pid);
        }
    }
}

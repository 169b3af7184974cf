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

/**
 * A rootful Podman of a test class's own, serving the Docker Engine API on a socket in its own directory
 * ({@code podman system service}), with its own image store, run root and network configuration, so that nothing it
 * does touches the machine's Docker engine or another Podman. Gantry is pointed at {@link #host()} exactly as an
 * operator points {@code engine.host} at {@code /run/podman/podman.sock}.
 *
 * <p>Its {@code containers.conf} sets what this machine needs and an operator's distribution usually sets already:
 * no default open-files limit (runc here refuses Podman's default with "error setting rlimit type 7"), the
 * {@code cgroupfs} manager and a file events log (no systemd or journald here). Needs root and Debian's
 * {@code podman}, which {@code bin/dev test} installs.
 */
public final class PodmanEngine implements TestEngine {

    private final Path root;
    private final String host;
    private final ExitCleanup cleanupOnExit;
    private volatile Process service;

    private PodmanEngine(Path root) {
        this.root = root;
        this.host = "unix://" + root.resolve("podman.sock");
        this.cleanupOnExit = new ExitCleanup("private-podman-cleanup", this::stop);
    }

    /** Starts the service (about a second) with the test image {@link TestImages#BUSYBOX} in it. */
    public static PodmanEngine start() {
        return start(List.of());
    }

    /**
     * Starts the service, which reaches the registries {@code insecureRegistries} ({@code host:port}) over plain HTTP:
     * Podman, unlike Docker, trusts no loopback registry by default, and takes that from {@code registries.conf}.
     */
    public static PodmanEngine start(List<String> insecureRegistries) {
        try {
            if (!Processes.run("id", "-u").equals("0")) {
                throw new AssertionError("a rootful Podman needs root");
            }
            Path root = Files.createTempDirectory(Path.of("/tmp"), "gp-");
            Files.writeString(root.resolve("containers.conf"), """
                    [containers]
                    default_ulimits = []
                    [engine]
                    cgroup_manager = "cgroupfs"
                    events_logger = "file"
                    events_logfile_path = "%s"
                    [network]
                    network_config_dir = "%s"
                    """.formatted(root.resolve("events.log"), root.resolve("networks")));
            StringBuilder registries = new StringBuilder("unqualified-search-registries = []\n");
            insecureRegistries.forEach(r -> registries.append("[[registry]]\nlocation = \"").append(r)
                    .append("\"\ninsecure = true\n"));
            Files.writeString(root.resolve("registries.conf"), registries);
            Files.createDirectories(root.resolve("cli"));
            PodmanEngine engine = new PodmanEngine(root);
            engine.startService();
            TestImages.ensureBusybox(engine.host());
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startService() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command("system", "service", "--time=0", host))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("service.log").toFile()));
        builder.environment().putAll(podmanEnvironment());
        service = builder.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.attempt(Map.of(), "docker", "-H", host,
                "version").exitCode() == 0);
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("DOCKER_HOST", host, "DOCKER_CONFIG", root.resolve("cli").toString());
    }

    /** What {@code podman} itself needs to work on this engine's store. */
    private Map<String, String> podmanEnvironment() {
        return Map.of("CONTAINERS_CONF", root.resolve("containers.conf").toString(),
                "CONTAINERS_REGISTRIES_CONF", root.resolve("registries.conf").toString());
    }

    private String[] command(String... args) {
        List<String> command = new ArrayList<>(List.of("podman", "--root", root.resolve("store").toString(),
                "--runroot", root.resolve("run").toString()));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    @Override
    public void close() {
        cleanupOnExit.close();
    }

    private synchronized void stop() {
        if (!Files.exists(root)) {
            return;
        }
        Process service = this.service;
        if (service != null && service.isAlive()) {
            Processes.attempt(podmanEnvironment(), command("rm", "-af", "-t", "0"));
            Processes.stop(service, 20);
        }
        // Podman leaves its overlay and shm mounts behind; deepest first, or rm cannot remove the directories.
        for (String mountPoint : PrivateEngine.mountsBelow(root)) {
            Processes.attempt(Map.of(), "umount", "-l", mountPoint);
        }
        Processes.attempt(Map.of(), "rm", "-rf", root.toString());
    }
}

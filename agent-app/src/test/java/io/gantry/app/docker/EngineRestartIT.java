package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.config.AgentConfig;
import io.gantry.config.EngineConfig;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Subscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine going away under a running adapter. Other tests and helpers share the machine's main dockerd, which
 * must never be stopped, so this test starts a second dockerd of its own: own socket, data-root, exec-root, pidfile,
 * config file and containerd, and its own bridge created here, with iptables off. It does not use
 * {@code --bridge none}, which deletes docker0 and breaks the main daemon's networking (reference/dependencies.md,
 * pitfall 16).
 */
class EngineRestartIT {

    private static final Duration API_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private static Path root;
    private static String bridge;
    private static String host;
    private static Process daemon;

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private DockerContainerEngine engine;
    private Subscription subscription;

    @BeforeAll
    static void startSecondDaemon() throws IOException {
        assertThat(Processes.run("id", "-u")).as("a second dockerd needs root").isEqualTo("0");
        // Short paths: a unix socket path must stay under 108 bytes, containerd's live below exec-root.
        root = Files.createTempDirectory(Path.of("/tmp"), "gx-");
        host = "unix://" + root.resolve("docker.sock");
        bridge = "gx" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 20, 36).substring(0, 8);
        int subnet = 100 + ThreadLocalRandom.current().nextInt(150);
        Processes.run("ip", "link", "add", "name", bridge, "type", "bridge");
        Processes.run("ip", "addr", "add", "10.213." + subnet + ".1/24", "dev", bridge);
        Processes.run("ip", "link", "set", bridge, "up");
        Files.writeString(root.resolve("daemon.json"), "{}");
        daemon = startDaemon();
        TestImages.ensureBusybox(host);
    }

    private static Process startDaemon() throws IOException {
        Process process = new ProcessBuilder("dockerd", "--host", host,
                "--config-file", root.resolve("daemon.json").toString(),
                "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("docker.pid").toString(), "--bridge", bridge, "--iptables=false",
                "--ip-masq=false", "--ip-forward=false", "--storage-driver", "vfs", "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        root.resolve("dockerd.log").toFile())).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.attempt(Map.of(), "docker", "-H", host,
                "version").exitCode() == 0);
        return process;
    }

    @AfterAll
    static void stopSecondDaemon() {
        if (daemon != null) {
            Processes.attempt(Map.of(), "kill", "-CONT", Long.toString(daemon.pid()));
            daemon.destroy();
            try {
                daemon.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        awaitContainerdGone();
        // dockerd makes its data-root a mount point of its own; after a kill the mount stays behind.
        Processes.attempt(Map.of(), "umount", root.resolve("data").toString());
        Processes.attempt(Map.of(), "ip", "link", "del", bridge);
        Processes.attempt(Map.of(), "rm", "-rf", root.toString());
    }

    /**
     * Kills dockerd as a crash would. Its containerd notices and exits shortly after; a dockerd started before that
     * adopts the dying containerd and then times out waiting for it, so the restart waits for it to be gone.
     */
    private static void crashDaemon() throws InterruptedException {
        Processes.run("kill", "-KILL", Long.toString(daemon.pid()));
        daemon.waitFor();
        awaitContainerdGone();
    }

    private static void awaitContainerdGone() {
        PrivateEngine.awaitContainerdGone(root.resolve("exec"));
    }

    @BeforeEach
    void connect() {
        AgentConfig d = AgentConfig.DEFAULTS;
        EngineConfig engineConfig = new EngineConfig(host, Duration.ofSeconds(5), Duration.ofSeconds(2), API_TIMEOUT,
                0, Duration.ofSeconds(10));
        AgentConfig config = new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(),
                engineConfig, d.registries(), d.deployment(), d.stateDir());
        engine = new DockerContainerEngine(() -> config, HEARTBEAT);
        subscription = engine.subscribe(new EngineListener() {
            @Override
            public void onEvent(ContainerEvent event) {
                seen.add(event.kind() + " " + event.id());
            }

            @Override
            public void onUnavailable(String reason) {
                seen.add("unavailable " + reason);
            }

            @Override
            public void onResync() {
                seen.add("resync");
            }
        });
    }

    @AfterEach
    void disconnect() {
        subscription.close();
        engine.close();
    }

    private ContainerId createOne() {
        ContainerName name = new ContainerName("gantry-restart-" + Long.toHexString(System.nanoTime()));
        return engine.create(ContainerSpec.builder(ImageRef.parse(TestImages.BUSYBOX)).name(name).build(),
                Map.of("io.gantry.test", "engine-restart"));
    }

    @Test
    void engineKilledAndRestarted_listenersHearUnavailableThenResyncAndEventsFlowAgain() throws Exception {
        ContainerId before = createOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("CREATED " + before));

        crashDaemon();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(s -> s.startsWith("unavailable")));
        assertThat(seen.stream().filter(s -> s.startsWith("unavailable")).findFirst().orElseThrow()).contains(host);
        assertThatThrownBy(engine::list).isInstanceOf(EngineUnavailableException.class).hasMessageContaining(host);

        daemon = startDaemon();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("resync"));
        ContainerId after = createOne();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("CREATED " + after));
        assertThat(seen).filteredOn(s -> s.startsWith("unavailable")).hasSize(1);
        assertThat(seen.indexOf("resync")).isGreaterThan(seen.indexOf("CREATED " + before))
                .isLessThan(seen.indexOf("CREATED " + after));
        assertThat(engine.list()).extracting(c -> c.id()).contains(before, after);
        engine.remove(before, true);
        engine.remove(after, true);
    }

    @Test
    void engineFrozen_callsTimeOutNamingTheUrl_andTheHeartbeatReportsItUnavailable() {
        ContainerId id = createOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("CREATED " + id));
        Processes.run("kill", "-STOP", Long.toString(daemon.pid()));
        try {
            Instant start = Instant.now();
            assertThatThrownBy(engine::list).isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining(host).hasMessageContaining("did not answer");
            assertThat(Duration.between(start, Instant.now())).isLessThan(API_TIMEOUT.plusSeconds(2));

            await().atMost(Duration.ofSeconds(15)).until(() -> seen.stream().anyMatch(s -> s.startsWith("unavailable")));
        } finally {
            Processes.run("kill", "-CONT", Long.toString(daemon.pid()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("resync"));
        engine.remove(id, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("REMOVED " + id));
    }
}

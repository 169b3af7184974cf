package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gantry.app.testing.PrivateEngine;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine going away under a running adapter, on a {@link PrivateEngine} of the test's own (the machine's main
 * dockerd must never be stopped).
 */
class EngineRestartIT {

    private static final Duration API_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private static PrivateEngine dockerd;
    private static String host;

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private DockerContainerEngine engine;
    private Subscription subscription;

    @BeforeAll
    static void startSecondDaemon() {
        dockerd = PrivateEngine.start();
        host = dockerd.host();
    }

    @AfterAll
    static void stopSecondDaemon() {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    @BeforeEach
    void connect() {
        AgentConfig d = AgentConfig.DEFAULTS;
        EngineConfig engineConfig = new EngineConfig(host, Duration.ofSeconds(5), Duration.ofSeconds(2), API_TIMEOUT,
                0, Duration.ofSeconds(10));
        AgentConfig config = new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(),
                engineConfig, d.registries(), d.deployment(), d.policy(), d.trust(), d.stateDir());
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

        dockerd.crash();
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(s -> s.startsWith("unavailable")));
        assertThat(seen.stream().filter(s -> s.startsWith("unavailable")).findFirst().orElseThrow()).contains(host);
        assertThatThrownBy(engine::list).isInstanceOf(EngineUnavailableException.class).hasMessageContaining(host);

        dockerd.restart();
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
        dockerd.freeze();
        try {
            Instant start = Instant.now();
            assertThatThrownBy(engine::list).isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining(host).hasMessageContaining("did not answer");
            assertThat(Duration.between(start, Instant.now())).isLessThan(API_TIMEOUT.plusSeconds(2));

            await().atMost(Duration.ofSeconds(15)).until(() -> seen.stream().anyMatch(s -> s.startsWith("unavailable")));
        } finally {
            dockerd.thaw();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("resync"));
        engine.remove(id, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("REMOVED " + id));
    }
}

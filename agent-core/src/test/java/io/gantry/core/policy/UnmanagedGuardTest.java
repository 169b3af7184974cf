package io.gantry.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.config.PolicyConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnmanagedGuardTest {

    private static final String OTHER = "sha256:" + "a".repeat(64);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeContainerEngine engine = new FakeContainerEngine().withImage("app:1");
    private final AtomicReference<TrustConfig> trust = new AtomicReference<>(
            new TrustConfig(true, List.of(OTHER), TrustConfig.STOP));
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final Admission admission = new Admission(() -> PolicyConfig.DEFAULTS, trust::get, engine::imageFacts,
            r -> { });
    private final RecentRefusals recorded = new RecentRefusals();
    private final UnmanagedGuard guard = new UnmanagedGuard(engine, admission, trust::get, counted::add,
            recorded::record, java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        guard.close();
    }

    private int made;

    private ContainerId byHand() {
        return engine.addUnmanaged(ContainerSpec.builder(ImageRef.parse("app:1"))
                .name(new ContainerName("by-hand-" + made++)).build());
    }

    private ContainerStatus status(ContainerId id) {
        return engine.inspect(id).orElseThrow().status();
    }

    @Test
    void aContainerStartedByHand_withAnImageNotAllowed_isStoppedAndKept() {
        guard.start();
        ContainerId id = byHand();
        engine.start(id);

        await().atMost(WAIT).until(() -> !status(id).isAlive());
        assertThat(engine.inspect(id)).isPresent();
        assertThat(counted).containsExactly("stopped");
        assertThat(recorded.recent()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(Refusal.UNMANAGED);
            assertThat(r.rule()).isEqualTo("trust.allowlist");
            assertThat(r.action()).isEqualTo(Refusal.STOPPED);
            assertThat(r.subject()).isEqualTo("by-hand-0");
            assertThat(r.image()).isEqualTo("app:1");
            assertThat(r.message()).contains("not created by Gantry").contains("not in the allowlist");
        });
    }

    @Test
    void reportMode_leavesItRunning_andCountsIt() {
        trust.set(new TrustConfig(true, List.of(OTHER), TrustConfig.REPORT));
        guard.start();
        ContainerId id = byHand();
        engine.start(id);

        await().atMost(WAIT).until(() -> counted.contains("reported"));
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void allowedImages_andManagedContainers_areLeftAlone() throws Exception {
        ContainerId allowed = byHand();
        trust.set(new TrustConfig(true, List.of(OTHER, "sha256:" + allowed.value()), TrustConfig.STOP));
        guard.start();
        engine.start(allowed);
        ContainerId managed = engine.create(ContainerSpec.builder(ImageRef.parse("app:1"))
                .name(new ContainerName("managed")).build(), Map.of());
        engine.start(managed);
        ContainerId bad = byHand();
        engine.start(bad);

        await().atMost(WAIT).until(() -> !status(bad).isAlive());
        assertThat(status(allowed)).isEqualTo(ContainerStatus.RUNNING);
        assertThat(status(managed)).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void switchingEnforcementOn_checksTheContainersThatRunAlready() {
        trust.set(new TrustConfig(false, List.of(OTHER), TrustConfig.STOP));
        guard.start();
        ContainerId id = byHand();
        engine.start(id);

        trust.set(new TrustConfig(true, List.of(OTHER), TrustConfig.STOP));
        guard.rulesChanged();

        await().atMost(WAIT).until(() -> !status(id).isAlive());
    }

    @Test
    void atStart_andWhenTheEngineComesBack_everyContainerIsChecked() {
        ContainerId before = byHand();
        engine.start(before);
        guard.start();
        await().atMost(WAIT).until(() -> !status(before).isAlive());

        trust.set(new TrustConfig(false, List.of(OTHER), TrustConfig.STOP));
        ContainerId during = byHand();
        engine.start(during);
        trust.set(new TrustConfig(true, List.of(OTHER), TrustConfig.STOP));
        engine.goDown();
        engine.comeBack();

        await().atMost(WAIT).until(() -> !status(during).isAlive());
    }
}

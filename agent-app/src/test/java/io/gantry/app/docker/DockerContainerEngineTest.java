package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.ConflictException;
import io.gantry.config.AgentConfig;
import io.gantry.config.EngineConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.StopOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The adapter without an engine: what it says when there is none to talk to, and what it never sends. */
class DockerContainerEngineTest {

    private static final String NOWHERE = "unix:///nonexistent/gantry/docker.sock";

    private static DockerContainerEngine engineAt(String host) {
        AgentConfig d = AgentConfig.DEFAULTS;
        EngineConfig engine = new EngineConfig(host, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 0, Duration.ofSeconds(2));
        AgentConfig config = new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(), engine,
                d.registries(), d.deployment(), d.policy(), d.trust(), d.stateDir());
        return new DockerContainerEngine(() -> config);
    }

    @Test
    void everyCall_toAnEngineThatIsNotThere_failsNamingTheUrl() {
        try (DockerContainerEngine engine = engineAt(NOWHERE)) {
            ContainerId id = ContainerId.of("abc");
            for (Runnable call : new Runnable[] {engine::info, engine::list, () -> engine.start(id),
                    () -> engine.stop(id, StopOptions.DEFAULT), () -> engine.stats(id)}) {
                assertThatThrownBy(call::run).isInstanceOf(EngineUnavailableException.class)
                        .hasMessageStartingWith("cannot reach the engine at " + NOWHERE + ": ");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.sock", "http://localhost:2375", "", "unix//x"})
    void construction_withAHostThatIsNoEngineUrl_isRejected(String host) {
        assertThatThrownBy(() -> engineAt(host)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("engine host \"" + host + "\" is not a unix:///path/to/docker.sock or tcp://host:port URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../images", "a b", "x?all=1", "", "-rf"})
    void find_ofWhatCannotNameAContainer_isEmptyWithoutAsking(String reference) {
        try (DockerContainerEngine engine = engineAt(NOWHERE)) {
            assertThat(engine.find(reference)).isEmpty();
        }
    }

    @Test
    void forcedRemoval_ofAContainerPodmanReportsAsExiting_isRetriedUntilItGoes() {
        AtomicInteger calls = new AtomicInteger();
        DockerContainerEngine.retryWhileExiting(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new ConflictException("cannot remove container c81f as it could not be stopped: sending SIGKILL"
                        + " to container c81f: container state improper: stopped");
            }
        }, 5, Duration.ofMillis(1));

        assertThat(calls).hasValue(3);
    }

    @Test
    void forcedRemoval_thatKeepsFailing_orFailsOtherwise_givesTheEnginesAnswer() {
        AtomicInteger calls = new AtomicInteger();
        ConflictException exiting = new ConflictException("x: container state improper: stopped");
        assertThatThrownBy(() -> DockerContainerEngine.retryWhileExiting(() -> {
            calls.incrementAndGet();
            throw exiting;
        }, 4, Duration.ofMillis(1))).isSameAs(exiting);
        assertThat(calls).hasValue(4);

        calls.set(0);
        ConflictException inUse = new ConflictException("removal of container web is already in progress");
        assertThatThrownBy(() -> DockerContainerEngine.retryWhileExiting(() -> {
            calls.incrementAndGet();
            throw inUse;
        }, 4, Duration.ofMillis(1))).isSameAs(inUse);
        assertThat(calls).hasValue(1);
    }
}

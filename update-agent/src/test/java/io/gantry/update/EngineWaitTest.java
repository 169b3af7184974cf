package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.UpdateAgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A desired state that arrives while the engine cannot be reached waits for it ({@code update_agent.engine_wait}),
 * says so once in an IDENTIFYING feedback, and goes on when the engine is back, or fails when the wait is over.
 */
class EngineWaitTest {

    @TempDir
    Path stateDir;

    private static UpdateAgentConfig waiting(Duration engineWait) {
        UpdateAgentConfig auto = Harness.auto();
        return new UpdateAgentConfig(true, auto.mode(), auto.domain(), List.of(), false, auto.settleTime(),
                auto.healthTimeout(), false, engineWait);
    }

    @Test
    void engineBackWithinTheWait_theDesiredStateIsCarriedOut() {
        try (Harness h = new Harness(stateDir, waiting(Duration.ofSeconds(30))).withMixedState()) {
            h.start();
            h.fake.goDown();
            h.send(Harness.mixedDesiredState("act-1"));

            Harness.await().until(() -> h.feedback("act-1").size() == 2);
            assertThat(h.feedback("act-1")).extracting(f -> f.status() + " " + f.message()).containsExactly(
                    "IDENTIFYING ", "IDENTIFYING Waiting up to 30s for the container engine: cannot reach the fake"
                            + " engine");
            h.fake.comeBack();

            assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
            assertThat(h.statuses("act-1")).startsWith("IDENTIFYING", "IDENTIFYING", "IDENTIFIED");
        }
    }

    @Test
    void engineStillAwayAfterTheWait_identificationFails() {
        try (Harness h = new Harness(stateDir, waiting(Duration.ofMillis(1200))).withMixedState()) {
            h.start();
            h.fake.goDown();
            h.send(Harness.mixedDesiredState("act-1"));

            Messages.Feedback end = h.awaitEnd("act-1");
            assertThat(end.status()).isEqualTo("IDENTIFICATION_FAILED");
            assertThat(end.message()).isEqualTo("cannot list the containers: cannot reach the fake engine");
            assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFYING", "IDENTIFICATION_FAILED");
        }
    }

    @Test
    void newerDesiredStateWhileWaiting_supersedesTheWaitingOne() {
        try (Harness h = new Harness(stateDir, waiting(Duration.ofSeconds(30))).withMixedState()) {
            h.start();
            h.fake.goDown();
            h.send(Harness.mixedDesiredState("act-1"));
            Harness.await().until(() -> h.feedback("act-1").size() == 2);
            h.send(Harness.mixedDesiredState("act-2"));

            Messages.Feedback first = h.awaitEnd("act-1");
            assertThat(first.status()).isEqualTo("INCOMPLETE");
            assertThat(first.message()).isEqualTo("Superseded by activity act-2 while it waited for the container"
                    + " engine.");
            h.fake.comeBack();
            assertThat(h.awaitEnd("act-2").status()).isEqualTo("COMPLETED");
        }
    }
}

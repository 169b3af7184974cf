package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.update.protocol.FeedbackStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link UpdateAgent#onFinished}: the hook Gantry's {@code update operations by result} figure is counted from. */
class FinishedOperationsTest extends AgentTest {

    @Test
    void onFinished_hearsTheFinalStatusOfEachOperationOnce_andNoIntermediateStatus() {
        List<FeedbackStatus> finished = new CopyOnWriteArrayList<>();
        h = new Harness(stateDir, Harness.auto());
        h.fake.withRegistryImage("registry.local/web:1");
        h.start(finished::add);

        h.send(desired("ok", component("web", "1", "image", "registry.local/web:1")));
        assertThat(h.awaitEnd("ok").status()).isEqualTo("COMPLETED");
        h.send(desired("missing", component("web", "2", "image", "registry.local/web:2")));
        assertThat(h.awaitEnd("missing").status()).isEqualTo("INCOMPLETE");
        h.send(desired("twice", component("a", "1", "image", "registry.local/web:1"),
                component("a", "1", "image", "registry.local/web:1")));
        assertThat(h.awaitEnd("twice").status()).isEqualTo("IDENTIFICATION_FAILED");

        assertThat(finished).containsExactly(FeedbackStatus.COMPLETED, FeedbackStatus.INCOMPLETE,
                FeedbackStatus.IDENTIFICATION_FAILED);
    }
}

package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.ContainerStatus;
import io.gantry.update.protocol.FeedbackStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Update windows in auto mode, with a clock the test moves: a desired state outside the window waits (feedback and
 * current state say so), is carried out when the window opens, at once when urgent, and a newer one supersedes it.
 */
class UpdateWindowsTest extends AgentTest {

    /** Saturday 5 December 2026, 12:00 UTC; the window is Monday to Friday, 02:00 to 04:00 UTC. */
    private static final Instant SATURDAY = Instant.parse("2026-12-05T12:00:00Z");
    private static final Instant MONDAY_2AM = Instant.parse("2026-12-07T02:00:00Z");
    private final MovableClock clock = new MovableClock(SATURDAY);

    @BeforeEach
    void setUp() {
        UpdateAgentConfig auto = Harness.auto();
        h = new Harness(stateDir, new UpdateAgentConfig(auto.enable(), auto.mode(), auto.domain(),
                auto.systemContainers(), auto.verboseInventoryReport(), auto.settleTime(), auto.healthTimeout(),
                auto.strict(), auto.engineWait(),
                new UpdateAgentConfig.WindowsConfig(List.of("Mon-Fri 02:00-04:00"), "UTC")));
        h.clock = clock;
        h.fake.withRegistryImage("registry.local/web:1").withRegistryImage("registry.local/web:2");
    }

    @Test
    void outsideTheWindow_itWaits_andIsCarriedOutWhenTheWindowOpens() {
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));

        Messages.Feedback waiting = h.awaitStatus("act-1", FeedbackStatus.IDENTIFYING);
        assertThat(waiting.payload().message()).isEqualTo("Waiting for the update window Mon-Fri 02:00-04:00 (UTC):"
                + " carried out at 2026-12-07T02:00:00Z, or at once when a desired state marked urgent replaces it.");
        Harness.await().until(() -> h.currentStates().stream().anyMatch(s -> s.json().toString().contains("\"waitingActivity\",\"value\":\"act-1\"")));
        assertThat(h.fake.find("web")).isEmpty();

        h.agent.windowGate().check(); // still Saturday: nothing happens
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING");

        clock.set(MONDAY_2AM);
        h.agent.windowGate().check();

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.container("web").status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(h.agent.windowGate().waiting()).isEmpty();
    }

    @Test
    void aWaitingDesiredState_survivesARestart_andIsCarriedOutWhenTheWindowOpens() {
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFYING);
        Path waitingFile = stateDir.resolve("update-agent").resolve(UpdateAgent.WAITING_FILE);
        assertThat(waitingFile).exists();
        restart();
        Messages.Feedback again = h.awaitStatus("act-1", FeedbackStatus.IDENTIFYING);
        assertThat(again.payload().message()).startsWith("Waiting for the update window Mon-Fri 02:00-04:00 (UTC)");
        assertThat(h.agent.windowGate().waiting()).hasValueSatisfying(w -> assertThat(w.activityId()).isEqualTo("act-1"));
        assertThat(h.fake.find("web")).isEmpty();

        clock.set(MONDAY_2AM);
        h.agent.windowGate().check();

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.container("web").status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(waitingFile).doesNotExist();
    }

    @Test
    void anUrgentDesiredState_thatReplacesAWaitingOne_leavesNothingToTakeUpAfterARestart() throws Exception {
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFYING);
        h.send(urgent(desired("act-2", component("web", "2", "image", "registry.local/web:2"))));
        assertThat(h.awaitEnd("act-2").status()).isEqualTo("COMPLETED");
        restart();
        h.send(desired("act-3", component("web", "2", "image", "registry.local/web:2")));
        h.awaitStatus("act-3", FeedbackStatus.IDENTIFYING);

        assertThat(h.feedback("act-1")).isEmpty();
        assertThat(h.agent.windowGate().waiting()).hasValueSatisfying(w -> assertThat(w.activityId()).isEqualTo("act-3"));
    }

    @Test
    void aNewerDesiredState_supersedesTheWaitingOne() {
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFYING);

        h.send(desired("act-2", component("web", "2", "image", "registry.local/web:2")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("INCOMPLETE");
        assertThat(end.payload().message()).isEqualTo("Superseded by activity act-2.");
        h.awaitStatus("act-2", FeedbackStatus.IDENTIFYING);
        assertThat(h.agent.windowGate().waiting()).hasValueSatisfying(w -> assertThat(w.activityId()).isEqualTo("act-2"));
        clock.set(MONDAY_2AM);
        h.agent.windowGate().check();
        h.awaitEnd("act-2");
        assertThat(h.container("web").image().text()).isEqualTo("registry.local/web:2");
    }

    @Test
    void anUrgentDesiredState_isCarriedOutAtOnce() throws Exception {
        h.start();
        h.send(urgent(desired("act-1", component("web", "1", "image", "registry.local/web:1"))));

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.statuses("act-1")).first().isEqualTo("IDENTIFYING");
        assertThat(h.feedback("act-1")).noneMatch(f -> String.valueOf(f.payload().message()).contains("Waiting"));
        assertThat(h.agent.windowGate().waiting()).isEmpty();
    }

    @Test
    void insideTheWindow_itIsCarriedOutAtOnce() {
        clock.set(MONDAY_2AM.plus(Duration.ofMinutes(30)));
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
    }

    /** The desired state marked urgent. */
    private static byte[] urgent(byte[] desiredState) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode message = (ObjectNode) json.readTree(desiredState);
        ((ObjectNode) message.path("payload")).put("urgent", true);
        return json.writeValueAsBytes(message);
    }

    /** Stops the agent and starts a new one on the same engine, state directory and clock. */
    private void restart() {
        h.close();
        Harness restarted = new Harness(h.fake, stateDir, h.config);
        restarted.clock = clock;
        h = restarted.start();
    }

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

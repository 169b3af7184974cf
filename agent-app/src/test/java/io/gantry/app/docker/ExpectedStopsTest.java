package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event sequences of Docker and Podman 4.3 (docs/engines.md), fed through {@link ExpectedStops}. */
class ExpectedStopsTest {

    private static final ContainerId ID = ContainerId.of("c0ffee");
    private final ExpectedStops expected = new ExpectedStops();

    /** Feeds the engine's raw actions ("kill:2" carries a signal) and returns what listeners would hear. */
    private List<String> feed(String... actions) {
        return feedAt(Instant.EPOCH, actions);
    }

    private List<String> feedAt(Instant time, String... actions) {
        List<String> out = new ArrayList<>();
        for (String action : actions) {
            String[] parts = action.split(":");
            Optional<ContainerEvent> event = EventStream.toEvent(node(parts[0], parts.length > 1 ? parts[1] : null));
            Optional<ContainerEvent> timed = event.map(e -> new ContainerEvent(e.kind(), e.id(), time, e.attributes()));
            for (ContainerEvent e : expected.complete(parts[0], ID, time, timed)) {
                out.add(e.kind() + e.attribute("signal").map(s -> ":" + s).orElse(""));
            }
        }
        return out;
    }

    private static JsonNode node(String action, String signal) {
        ObjectNode json = new ObjectMapper().createObjectNode().put("Type", "container").put("Action", action);
        ObjectNode attributes = json.putObject("Actor").put("ID", ID.value()).putObject("Attributes");
        if (signal != null) {
            attributes.put("signal", signal);
        }
        return json;
    }

    @Test
    void podmanStop_getsTheKillBeforeTheDieAndTheStopAfterTheCleanup() {
        expected.stopping(ID, "SIGTERM");

        assertThat(feed("die", "cleanup", "cleanup")).containsExactly("KILLED:15", "DIED", "STOPPED");
    }

    @Test
    void dockerStop_isPassedOnAsItCame() {
        expected.stopping(ID, "SIGTERM");

        assertThat(feed("kill:15", "die", "stop")).containsExactly("KILLED:15", "DIED", "STOPPED");
        assertThat(feed("die")).as("a later exit of its own").containsExactly("DIED");
    }

    @Test
    void podmanStopAnnouncedBeforeTheDie_comesAfterIt() {
        expected.stopping(ID, "SIGTERM");

        assertThat(feed("stop", "die", "cleanup")).containsExactly("KILLED:15", "DIED", "STOPPED");
    }

    @Test
    void podmanForcedRemovalWithAStopEvent_isStillAKillWithSigkill() {
        expected.removing(ID);

        assertThat(feed("stop", "die", "remove")).containsExactly("KILLED:9", "DIED", "REMOVED");
    }

    @Test
    void podmanKillWithoutSignal_getsTheSignalAskedFor() {
        expected.killing(ID, "SIGINT");

        assertThat(feed("kill", "die", "cleanup")).containsExactly("KILLED:2", "DIED");
        assertThat(feed("die")).containsExactly("DIED");
    }

    @Test
    void podmanForcedRemoval_isAKillWithSigkill() {
        expected.removing(ID);

        assertThat(feed("die", "cleanup", "remove")).containsExactly("KILLED:9", "DIED", "REMOVED");
    }

    @Test
    void withdrawnStop_addsNothing_butAnEarlierStopStillAwaitedStays() {
        boolean first = expected.stopping(ID, "SIGTERM");
        boolean second = expected.stopping(ID, "SIGTERM");
        expected.withdraw(ID, second);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(feed("die", "cleanup")).containsExactly("KILLED:15", "DIED", "STOPPED");

        expected.withdraw(ID, expected.stopping(ID, "SIGTERM"));
        assertThat(feed("die", "cleanup")).containsExactly("DIED");
    }

    @Test
    void startThatArrivesLate_keepsTheStop_butALaterStartEndsAStopThatNothingFollowed() {
        expected.stopping(ID, "SIGTERM");

        assertThat(feed("start", "die", "cleanup")).containsExactly("STARTED", "KILLED:15", "DIED", "STOPPED");

        expected.stopping(ID, "SIGTERM"); // Podman: 204 for a container that never ran, and no event
        assertThat(feedAt(Instant.now().plusSeconds(1), "start", "die")).containsExactly("STARTED", "DIED");
    }

    @Test
    void nothingExpected_eventsPassUnchanged() {
        assertThat(feed("start", "die", "cleanup", "remove")).containsExactly("STARTED", "DIED", "REMOVED");
    }
}

package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.RestartPolicy;
import io.gantry.core.transport.RecordingTransport;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The current state (§4) is published retained on connect, on request with the request's activity id, and after
 * every operation; feedback waits for the broker and keeps its order; engine calls never run on the MQTT thread.
 */
class CurrentStateTest extends AgentTest {

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Harness.auto());
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
    }

    private List<String> currentStateIds() {
        return h.currentStates().stream().map(Messages.CurrentState::activityId).toList();
    }

    @Test
    void s7_50_connect_publishesTheCurrentState_retained_withAnInitialActivityId() {
        h.start();
        Harness.await().until(() -> !h.currentStates().isEmpty());

        assertThat(currentStateIds()).singleElement().asString().matches("^initial-current-state-\\d+$");
        assertThat(h.transport.publishedOn(Harness.CURRENT)).allMatch(RecordingTransport.Published::retain);
        assertThat(h.currentStates().get(0).payload().softwareNodes()).hasSize(2);

        h.transport.disconnect("test");
        h.transport.reconnect();
        Harness.await().until(() -> h.currentStates().size() == 2);
        assertThat(currentStateIds().get(1)).startsWith("initial-current-state-");
    }

    @Test
    void s7_49_request_isAnsweredWithItsActivityId_listingEveryContainer() {
        h.start();
        h.transport.deliver(Harness.GET, Messages.currentStateGet("X"));
        Harness.await().until(() -> currentStateIds().contains("X"));

        Messages.CurrentState state = h.currentStates().stream().filter(c -> c.activityId().equals("X")).findFirst()
                .orElseThrow();
        assertThat(state.payload().softwareNodes().get(0).id()).isEqualTo("containers-update-agent");
        assertThat(state.payload().associations()).extracting(a -> a.targetId()).containsExactly("containers:web");
    }

    @Test
    void operation_publishesTheCurrentState_underItsActivityId_whenItEnds() {
        h.fake.withRegistryImage("registry.local/db:1");
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1"),
                component("db", "1", "image", "registry.local/db:1")));
        h.awaitEnd("act-1");
        Harness.await().until(() -> currentStateIds().contains("act-1"));

        Messages.CurrentState state = h.currentStates().get(currentStateIds().indexOf("act-1"));
        assertThat(state.payload().associations()).extracting(a -> a.targetId())
                .containsExactly("containers:db", "containers:web");
    }

    @Test
    void feedback_whileTheBrokerIsAway_goesOutInOrder_whenItIsBack() {
        h.fake.withRegistryImage("registry.local/db:1");
        h.start();
        Harness.await().until(() -> !h.currentStates().isEmpty());
        h.transport.disconnect("broker restarts");
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1"),
                component("db", "1", "image", "registry.local/db:1")));
        Harness.await().until(() -> h.fake.find("db").map(c -> c.state().isRunning()).orElse(false));
        assertThat(h.feedback("act-1")).isEmpty();

        h.transport.reconnect();

        h.awaitEnd("act-1");
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "DOWNLOADING",
                "DOWNLOAD_SUCCESS", "UPDATE_SUCCESS", "ACTIVATING", "ACTIVATING", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
    }

    @Test
    void engineCalls_neverRunOnTheMqttThread() throws InterruptedException {
        h.fake.withRegistryImage("registry.local/db:1");
        h.start();
        Harness.await().until(() -> !h.currentStates().isEmpty());
        h.engine.forgetCallingThreads();
        Thread mqtt = new Thread(() -> {
            h.send(desired("act-1", component("db", "1", "image", "registry.local/db:1")));
            h.transport.deliver(Harness.GET, Messages.currentStateGet("get-1"));
        }, "mqtt-callback");
        mqtt.start();
        mqtt.join();
        h.awaitEnd("act-1");
        Harness.await().until(() -> currentStateIds().contains("get-1"));

        assertThat(h.engine.callingThreads()).contains("gantry-update", "gantry-update-out")
                .allSatisfy(name -> assertThat(name).startsWith("gantry-update"));
    }
}

package io.gantry.metrics.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.EngineListener;
import io.gantry.core.transport.MessageTransport;
import io.gantry.core.transport.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountingTransportTest {

    private final AgentMetrics metrics = new AgentMetrics(Clock.systemUTC());
    private final RecordingTransport broker = new RecordingTransport();
    private final CountingTransport transport = new CountingTransport(broker, metrics);

    @Test
    void publish_countsAcknowledgedAndFailedMessages() {
        transport.publish("a", new byte[0], false);
        transport.publish("b", new byte[0], false);
        broker.failPublishes(true);
        transport.publish("c", new byte[0], false);

        assertThat(metrics.messagesPublished().value()).isEqualTo(2);
        assertThat(metrics.publishFailures().value()).isEqualTo(1);
        assertThat(broker.published()).hasSize(2);
    }

    @Test
    void subscribe_countsReceivedMessagesAndStillDeliversThem() {
        List<String> got = new ArrayList<>();
        transport.subscribe("x/#", (topic, payload) -> got.add(new String(payload, StandardCharsets.UTF_8)));

        broker.deliver("x/1", "one");
        broker.deliver("x/2", "two");
        broker.deliver("y/1", "not ours");

        assertThat(got).containsExactly("one", "two");
        assertThat(metrics.messagesReceived().value()).isEqualTo(2);
    }

    @Test
    void subscribe_countsRefusedMessagesAndStillTellsTheHandler() {
        List<String> refused = new ArrayList<>();
        transport.subscribe("x/#", new MessageTransport.MessageHandler() {
            @Override
            public void onMessage(String topic, byte[] payload) {
                throw new AssertionError("a refused message has no payload");
            }

            @Override
            public void onRefused(String topic, long bytes) {
                refused.add(topic + " " + bytes);
            }
        });

        broker.refuse("x/1", 24 << 20);
        broker.refuse("y/1", 24 << 20);

        assertThat(refused).containsExactly("x/1 25165824");
        assertThat(metrics.messagesRefused().value()).isEqualTo(1);
        assertThat(metrics.messagesReceived().value()).isZero();
    }

    @Test
    void connectionChanges_setTheGaugeAndCountReconnects() {
        assertThat(metrics.mqttConnected().value()).isEqualTo(1.0);

        broker.disconnect("gone");
        assertThat(metrics.mqttConnected().value()).isZero();
        broker.reconnect();
        broker.disconnect("gone again");
        broker.reconnect();

        assertThat(metrics.mqttConnected().value()).isEqualTo(1.0);
        assertThat(metrics.mqttReconnects().value()).isEqualTo(2);
    }

    @Test
    void engineListener_followsEngineAvailability() {
        EngineListener listener = metrics.engineListener();

        listener.onUnavailable("socket closed");
        assertThat(metrics.engineAvailable().value()).isZero();
        listener.onResync();
        assertThat(metrics.engineAvailable().value()).isEqualTo(1.0);
        listener.onUnavailable("again");
        listener.onEvent(ContainerEvent.of(ContainerEvent.Kind.STARTED, ContainerId.of("a"), Instant.EPOCH));
        assertThat(metrics.engineAvailable().value()).isEqualTo(1.0);
    }

    @Test
    void counter_neverGoesDown() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> metrics.twinResyncs().add(-1))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> metrics.updateOperations("bad result!"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

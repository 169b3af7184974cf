package io.gantry.app.testing;

import org.awaitility.Awaitility;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The other end of the broker in end-to-end tests: a plain MQTT client that records every message on the filters it
 * subscribed to and publishes as a cloud connector, an update manager or {@code mosquitto_pub} would.
 */
public final class MqttProbe implements AutoCloseable {

    /** A message the probe received, with the time it arrived. */
    public record Received(String topic, String payload, boolean retained, Instant at) {
    }

    private final Mqtt5BlockingClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private MqttProbe(Mqtt5BlockingClient client) {
        this.client = client;
    }

    /** Connects to {@code 127.0.0.1:port}. */
    public static MqttProbe connect(int port) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("probe-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(port).automaticReconnectWithDefaultConfig().buildBlocking();
        client.connect();
        return new MqttProbe(client);
    }

    /** Records every message on {@code filter} from now on (and a retained one, if the broker holds it). */
    public MqttProbe subscribe(String filter) {
        client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(new Received(p.getTopic().toString(),
                        new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), p.isRetain(), Instant.now())))
                .send().join();
        return this;
    }

    public void publish(String topic, String payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    /** Publishes {@code payload} and waits for the broker's acknowledgement. */
    public void publish(String topic, byte[] payload, boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    /** Waits up to {@code timeout} for a message that matches, and returns the first one. */
    public Received await(Duration timeout, Predicate<Received> filter) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> !received(filter).isEmpty());
        return received(filter).get(0);
    }

    public Received await(Predicate<Received> filter) {
        return await(Duration.ofSeconds(20), filter);
    }

    /** Forgets what was received so far. */
    public void clear() {
        received.clear();
    }

    public static Predicate<Received> on(String topic) {
        return r -> r.topic().equals(topic);
    }

    public static Predicate<Received> containing(String text) {
        return r -> r.payload().contains(text);
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect();
        } else if (client.getState().isConnectedOrReconnect()) {
            // Reconnecting to a broker that is gone: disconnect() would fail with "not connected" but stops it.
            client.toAsync().disconnect();
        }
    }
}

package io.gantry.app.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import io.gantry.config.ConnectionConfig;
import io.reactivex.Flowable;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One HiveMQ client, of either protocol version, reduced to what {@link HiveMqTransport} needs. Every operation uses
 * QoS 1 and returns a future that completes when the broker has acknowledged it (or fails with the reason).
 */
interface MqttSession {

    CompletableFuture<Void> connect();

    CompletableFuture<Void> subscribe(String topicFilter);

    CompletableFuture<Void> unsubscribe(String topicFilter);

    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain);

    CompletableFuture<Void> disconnect();

    MqttClientState state();

    /**
     * Hands every inbound message of the current connection, with a read-only view of the client's copy of its
     * payload (not copied again), to {@code sink} on the client's event loop; returns what stops it. The client ends
     * this flow when the session ends (a clean session ends with its connection), so it is opened again on every
     * connect.
     */
    Runnable receive(BiConsumer<MqttTopic, ByteBuffer> sink);

    /**
     * Subscribes to a client's inbound flow until the returned task disposes of it. The flow fails when its session
     * ends, which is expected and already reported as a lost connection, so the failure is taken as the flow's end.
     * It is turned into the end before it reaches the subscriber: the failure can race the disposal, and RxJava
     * reports a failure that reaches a disposed subscriber as "undeliverable" on the client's thread, to no one.
     */
    static <P> Runnable receiveUntilDisposed(Flowable<P> publishes, Consumer<P> onPublish) {
        return publishes.onErrorResumeNext(Flowable.empty()).subscribe(onPublish::accept)::dispose;
    }

    /**
     * The largest packet Gantry accepts, announced to an MQTT 5 broker, which then does not send a larger one (MQTT
     * 5.0 §3.1.2.11.4): {@code connection.max_payload_size} plus room for the longest topic and some properties, so
     * that a message a little over the limit still arrives to be refused with its topic (the twin answers it).
     */
    static int maximumPacketSize(ConnectionConfig config) {
        return (int) Math.min(MQTT_MAX_PACKET_SIZE, config.maxPayloadSize().bytes() + HEADER_ROOM);
    }

    /** The payload of a message that has none. */
    ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** MQTT's own limit: a remaining length of at most 268,435,455 plus the fixed header. */
    int MQTT_MAX_PACKET_SIZE = 268_435_460;
    /** The longest topic (65,535 bytes and its length), packet id, property lengths and a few properties. */
    int HEADER_ROOM = 65_537 + 2 + 4 + 4_096;

    /** {@code connection.keep_alive} in whole seconds, within what the CONNECT packet can carry. */
    static int keepAliveSeconds(ConnectionConfig config) {
        return (int) Math.min(65_535, Math.max(0, config.keepAlive().toSeconds()));
    }
}

package io.gantry.app.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.gantry.config.ConnectionConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/** An MQTT 5 session: clean start and a session that ends with the connection, the MQTT 5 form of a clean session. */
final class Mqtt5Session implements MqttSession {

    private final Mqtt5AsyncClient client;
    private final int keepAliveSeconds;
    private final int maximumPacketSize;

    Mqtt5Session(Mqtt5ClientBuilder builder, ConnectionConfig config) {
        if (!config.clientUsername().isEmpty()) {
            builder.simpleAuth()
                    .username(config.clientUsername())
                    .password(config.clientPassword().value().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        this.client = builder.buildAsync();
        this.keepAliveSeconds = MqttSession.keepAliveSeconds(config);
        this.maximumPacketSize = MqttSession.maximumPacketSize(config);
    }

    @Override
    public CompletableFuture<Void> connect() {
        // The broker must not send a larger packet (§3.1.2.11.4): an oversized message never reaches this client.
        return client.connectWith().cleanStart(true).sessionExpiryInterval(0).keepAlive(keepAliveSeconds)
                .restrictions().maximumPacketSize(maximumPacketSize).applyRestrictions()
                .send().thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter) {
        return client.subscribeWith().topicFilter(topicFilter).qos(MqttQos.AT_LEAST_ONCE).send().thenApply(ack -> {
            ack.getReasonCodes().stream().filter(code -> code.isError()).findFirst().ifPresent(code -> {
                throw new IllegalStateException("the broker refused the subscription: " + code);
            });
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return client.unsubscribeWith().topicFilter(topicFilter).send().thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send()
                .thenApply(result -> {
                    result.getError().ifPresent(error -> {
                        throw new CompletionException(error);
                    });
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    @Override
    public MqttClientState state() {
        return client.getState();
    }

    @Override
    public Runnable receive(BiConsumer<MqttTopic, ByteBuffer> sink) {
        return MqttSession.receiveUntilDisposed(client.toRx().publishes(MqttGlobalPublishFilter.ALL),
                p -> sink.accept(p.getTopic(), p.getPayload().orElse(MqttSession.NO_PAYLOAD)));
    }
}

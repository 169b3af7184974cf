package io.gantry.app.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.gantry.config.ConnectionConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** An MQTT 3.1.1 session: clean session, as Kanto's (reference/kanto-things.md §1.1). */
final class Mqtt311Session implements MqttSession {

    private final Mqtt3AsyncClient client;
    private final int keepAliveSeconds;

    Mqtt311Session(Mqtt3ClientBuilder builder, ConnectionConfig config) {
        if (!config.clientUsername().isEmpty()) {
            // Kanto sends credentials only when a user name is set (§1.1).
            builder.simpleAuth()
                    .username(config.clientUsername())
                    .password(config.clientPassword().value().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        this.client = builder.buildAsync();
        this.keepAliveSeconds = MqttSession.keepAliveSeconds(config);
    }

    @Override
    public CompletableFuture<Void> connect() {
        return client.connectWith().cleanSession(true).keepAlive(keepAliveSeconds).send().thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter) {
        return client.subscribeWith().topicFilter(topicFilter).qos(MqttQos.AT_LEAST_ONCE).send().thenApply(ack -> {
            if (ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
                throw new IllegalStateException("the broker refused the subscription");
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return client.unsubscribeWith().topicFilter(topicFilter).send();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send()
                .thenApply(sent -> null);
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

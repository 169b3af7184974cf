package io.gantry.app.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import io.gantry.config.Durations;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HiveMQ client with one set of settings, from its first connection attempt until it is retired (by {@link
 * HiveMqTransport#stop()} or by new settings): it connects, retries every failure and every loss with back-off, and
 * reports each change to its {@link Events}.
 *
 * <p>The client's listeners run on its event loop: they only decide about reconnecting and hand off. The wait
 * between attempts is a future rather than the client's own delay, so that {@link #retire} can end it at once.
 */
final class Connection {

    /** What a connection reports; called on the client's event loop, so implementations hand off. */
    interface Events {
        void connected(Connection connection);

        void lost(Connection connection, Throwable cause, int attempt, Duration delay);

        void message(MqttTopic topic, byte[] payload);

        /** A message over {@code connection.max_payload_size}, refused unread. */
        void refused(MqttTopic topic, long bytes);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final BrokerSettings settings;
    private final Backoff backoff;
    private final Events events;
    private final MqttSession session;
    private final long maxPayloadBytes;
    private final AtomicBoolean retired = new AtomicBoolean();
    private volatile boolean connected;
    private final AtomicReference<CompletableFuture<Void>> retryGate = new AtomicReference<>();
    private final AtomicReference<Runnable> inbound = new AtomicReference<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    Connection(BrokerSettings settings, String clientId, Backoff backoff, Events events) {
        this.settings = settings;
        this.backoff = backoff;
        this.events = events;
        this.session = open(settings, clientId);
        this.maxPayloadBytes = settings.config().maxPayloadSize().bytes();
    }

    BrokerSettings settings() {
        return settings;
    }

    /** Starts the first attempt and returns at once. */
    void connect() {
        session.connect();
    }

    /** Connected now; false from the moment a loss is noticed, before anyone is told. */
    boolean isConnected() {
        return connected && !retired.get() && session.state() == MqttClientState.CONNECTED;
    }

    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return withTimeout(session.publish(topic, payload, retain), settings.config().acknowledgeTimeout(),
                "publish to " + topic);
    }

    CompletableFuture<Void> subscribe(String filter) {
        return withTimeout(session.subscribe(filter), settings.config().subscribeTimeout(),
                "subscription to " + filter);
    }

    CompletableFuture<Void> unsubscribe(String filter) {
        return withTimeout(session.unsubscribe(filter), settings.config().unsubscribeTimeout(),
                "unsubscribe from " + filter);
    }

    /**
     * Disconnects, or ends the attempt under way, and waits up to {@code wait} for the client to let go of its
     * threads. Nothing is reported after this.
     */
    void retire(Duration wait) {
        if (retired.compareAndSet(false, true)) {
            CompletableFuture<Void> gate = retryGate.get();
            if (gate != null) {
                gate.complete(null);
            }
            MqttClientState state = session.state();
            if (state == MqttClientState.CONNECTED) {
                session.disconnect();
            } else if (state == MqttClientState.DISCONNECTED) {
                ended.complete(null);
            }
            // Otherwise an attempt is under way: the client's listeners end it, as they see the retirement.
        }
        try {
            ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("The MQTT client for {} did not stop within {}", settings.broker(), Durations.format(wait));
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable: `ended` never fails", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Normally ended with the session already; until it is, it holds the client's threads.
        Runnable receiving = inbound.getAndSet(null);
        if (receiving != null) {
            receiving.run();
        }
    }

    private MqttSession open(BrokerSettings settings, String clientId) {
        long connectMillis = settings.config().connectTimeout().toMillis();
        BrokerAddress broker = settings.broker();
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(broker.host())
                .serverPort(broker.port())
                .socketConnectTimeout(connectMillis, TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(connectMillis, TimeUnit.MILLISECONDS);
        settings.tls().ifPresent(material -> {
            MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder();
            material.trust().ifPresent(ssl::trustManagerFactory);
            material.keys().ifPresent(ssl::keyManagerFactory);
            transport.sslConfig(ssl.build());
        });
        if (broker.websocket()) {
            transport.webSocketConfig(MqttWebSocketConfig.builder().serverPath(broker.path()).build());
        }
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(clientId)
                .transportConfig(transport.build())
                .addConnectedListener(context -> onClientConnected())
                .addDisconnectedListener(this::onClientDisconnected);
        return settings.version() == ProtocolVersion.MQTT_5
                ? new Mqtt5Session(builder.useMqttVersion5(), settings.config())
                : new Mqtt311Session(builder.useMqttVersion3(), settings.config());
    }

    private void onClientConnected() {
        if (retired.get()) {
            // An attempt that was under way when the connection was retired has just succeeded.
            session.disconnect();
            return;
        }
        // Registered here, on the event loop, before any SUBSCRIBE of this connection can bring a message.
        Runnable previous = inbound.getAndSet(session.receive(this::received));
        if (previous != null) {
            previous.run();
        }
        connected = true;
        events.connected(this);
    }

    /**
     * The size is checked before the payload is copied to the heap, once: an oversized one (which MQTT 3.1.1 cannot
     * keep the broker from sending) is dropped with the client's buffer, and the connection stays up.
     */
    private void received(MqttTopic topic, ByteBuffer payload) {
        int size = payload.remaining();
        if (size > maxPayloadBytes) {
            events.refused(topic, size);
            return;
        }
        byte[] bytes = new byte[size];
        payload.duplicate().get(bytes);
        events.message(topic, bytes);
    }

    private void onClientDisconnected(MqttClientDisconnectedContext context) {
        connected = false;
        MqttClientReconnector reconnector = context.getReconnector();
        if (retired.get() || context.getSource() == MqttDisconnectSource.USER) {
            reconnector.reconnect(false);
            ended.complete(null);
            return;
        }
        int attempt = reconnector.getAttempts();
        Duration delay = backoff.delay(attempt, ThreadLocalRandom.current()::nextDouble);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        reconnector.reconnectWhen(gate, (ignored, error) -> {
            if (retired.get()) {
                reconnector.reconnect(false);
                ended.complete(null);
            }
        });
        // The transport subscribes again itself, so that onConnected() comes after the SUBACKs. (This also ends the
        // inbound flow with the session; onClientConnected opens a new one.)
        reconnector.resubscribeIfSessionExpired(false).republishIfSessionExpired(false);
        retryGate.set(gate);
        if (retired.get()) {
            gate.complete(null);
        } else {
            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> gate.complete(null));
        }
        events.lost(this, context.getCause(), attempt, delay);
    }

    /** Fails {@code future} with a {@link TimeoutException} saying what was not acknowledged, after {@code timeout}. */
    private static <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, Duration timeout, String what) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            result.completeExceptionally(cause instanceof TimeoutException
                    ? new TimeoutException("the broker did not acknowledge the " + what + " within "
                    + Durations.format(timeout))
                    : cause);
        });
        return result;
    }
}

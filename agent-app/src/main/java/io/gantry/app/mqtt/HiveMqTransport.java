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
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import io.gantry.config.ConnectionConfig;
import io.gantry.config.Durations;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageTransport} on the HiveMQ MQTT client 1.4: one connection to {@code connection.broker_url}, kept
 * up for as long as the agent runs.
 *
 * <p>Connection (reference/kanto-things.md §1.1, and where it differs): MQTT 3.1.1 or 5, clean session, QoS 1,
 * credentials only with a user name, TLS from PEM files. Unlike Kanto, the first connection is retried too: {@link
 * #start()} returns at once, and the transport keeps trying, with {@link Backoff back-off}, until the broker is up,
 * and again after every loss of the connection, until {@link #stop()}. An outage is logged once at WARN (each attempt
 * at DEBUG) and the connection at INFO.
 *
 * <p>Threads: one thread, {@code gantry-mqtt}, owns the subscriptions and the listeners, routes every inbound message
 * to the handlers whose filters match and calls the connection listeners; a handler that throws is logged and the
 * next message is delivered as usual. After every (re)connect the transport subscribes again to every open filter,
 * waits for the broker's acknowledgements (at most {@code subscribe_timeout}) and only then calls {@code
 * onConnected()}. A listener added while connected hears of the next change only. The futures that {@link #publish}
 * returns complete on a client thread: chain only quick work on them.
 *
 * <p>Payloads: an inbound payload is copied once, out of the client's buffer, and the same array is handed to every
 * matching handler, which must not change it. Sizes are not checked here: a payload over {@code
 * connection.max_payload_size} still needs its topic for the 400 reply, so the router refuses it before parsing.
 * Two overlapping filters (say {@code a/#} and {@code a/b}) may each receive a message twice, because brokers may
 * send one copy per matching subscription; QoS 1 is at-least-once anyway.
 */
public final class HiveMqTransport implements MessageTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqTransport.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final ConnectionConfig config;
    private final BrokerAddress broker;
    private final ProtocolVersion version;
    private final Optional<TlsMaterial> tls;
    private final Backoff backoff;
    private final ScheduledExecutorService owner = Threads.scheduled("gantry-mqtt");

    // Owned by the gantry-mqtt thread.
    private final Map<String, List<Handler>> subscriptions = new LinkedHashMap<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private long generation;
    private boolean sessionUp;
    private boolean announced;
    private Instant outageSince;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean connected;
    private volatile MqttSession session;
    private final AtomicReference<CompletableFuture<Void>> retryGate = new AtomicReference<>();
    private final AtomicReference<Runnable> inbound = new AtomicReference<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    /**
     * Checks the settings and reads the TLS files; connects only on {@link #start()}.
     *
     * @throws IllegalArgumentException for a bad broker URL, protocol version or TLS file, naming the setting
     */
    public HiveMqTransport(ConnectionConfig config) {
        this(config, Backoff.DEFAULT);
    }

    HiveMqTransport(ConnectionConfig config, Backoff backoff) {
        this.config = Objects.requireNonNull(config, "config");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.broker = setting("connection.broker_url", () -> BrokerAddress.parse(config.brokerUrl()));
        this.version = setting("connection.protocol_version", () -> ProtocolVersion.forName(config.protocolVersion()));
        if (broker.tls()) {
            this.tls = Optional.of(TlsMaterial.from(config.transport()));
        } else {
            this.tls = Optional.empty();
            if (!config.transport().isEmpty()) {
                LOG.warn("connection.transport names TLS files, but {} is not a TLS URL (ssl://, mqtts://, wss://"
                        + " …): the files are not used", broker);
            }
        }
    }

    private static <T> T setting(String key, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts connecting in the background and returns at once; a broker that is down is not an error here.
     *
     * @throws IllegalStateException when called twice
     */
    public void start() {
        if (stopped() || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("the MQTT transport can be started once");
        }
        // Kanto uses a fresh random id per start (§1.1); it stays the same across reconnects.
        String clientId = config.clientId().isEmpty() ? UUID.randomUUID().toString() : config.clientId();
        MqttSession s = open(clientId);
        session = s;
        LOG.info("Connecting to MQTT broker {} ({}, client id {})", broker, version, clientId);
        s.connect();
    }

    /** Disconnects and ends the transport's threads; waits a few seconds at most. Calling it again does nothing. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        MqttSession s = session;
        if (s == null) {
            terminated.complete(null);
        } else {
            CompletableFuture<Void> gate = retryGate.get();
            if (gate != null) {
                gate.complete(null);
            }
            MqttClientState state = s.state();
            if (state == MqttClientState.CONNECTED) {
                s.disconnect();
            } else if (state == MqttClientState.DISCONNECTED) {
                terminated.complete(null);
            }
            // Otherwise an attempt is under way: the client's listeners end it, as they see the transport stopping.
        }
        try {
            terminated.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("The MQTT client did not stop within {}", Durations.format(STOP_WAIT));
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable: terminated never fails", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Normally ended with the session already; until it is, it holds the client's threads.
        Runnable receiving = inbound.getAndSet(null);
        if (receiving != null) {
            receiving.run();
        }
        Threads.shutdown(owner, 2);
        if (s != null) {
            LOG.info("Stopped the connection to MQTT broker {}", broker);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean stopped() {
        return stopping.get();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        MqttSession s = session;
        if (s == null || !isConnected()) {
            // Fail fast rather than queue: the callers re-publish whole state on reconnect (port contract).
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to MQTT broker " + broker));
        }
        try {
            LOG.debug("MQTT out {} ({} bytes)", topic, payload.length);
            return withTimeout(s.publish(topic, payload, retain), config.acknowledgeTimeout(), "publish to " + topic);
        } catch (RuntimeException e) {
            // HiveMQ checks the topic before sending; a malformed one (built from input) fails this publish only.
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code topicFilter} is not a valid MQTT topic filter
     */
    @Override
    public Subscription subscribe(String topicFilter, MessageHandler handler) {
        Handler sub = new Handler(topicFilter, MqttTopicFilter.of(topicFilter), Objects.requireNonNull(handler));
        onOwner(() -> add(sub));
        return sub;
    }

    @Override
    public Subscription addConnectionListener(ConnectionListener listener) {
        Objects.requireNonNull(listener, "listener");
        onOwner(() -> listeners.add(listener));
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                onOwner(() -> listeners.remove(listener));
            }
        };
    }

    @Override
    public boolean isConnected() {
        // `connected` turns false before the listeners hear of a loss, which the client's own state does not.
        MqttSession s = session;
        return connected && !stopped() && s != null && s.state() == MqttClientState.CONNECTED;
    }

    private MqttSession open(String clientId) {
        long connectMillis = config.connectTimeout().toMillis();
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(broker.host())
                .serverPort(broker.port())
                .socketConnectTimeout(connectMillis, TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(connectMillis, TimeUnit.MILLISECONDS);
        tls.ifPresent(material -> {
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
        return version == ProtocolVersion.MQTT_5
                ? new Mqtt5Session(builder.useMqttVersion5(), config)
                : new Mqtt311Session(builder.useMqttVersion3(), config);
    }

    // --- the client's listeners: called on its event loop, they decide about reconnecting and hand off ---

    private void onClientConnected() {
        if (stopped()) {
            // An attempt that was under way when stop() began has just succeeded.
            session.disconnect();
            return;
        }
        // Registered here, on the event loop, before any SUBSCRIBE of this connection can bring a message.
        Runnable previous = inbound.getAndSet(
                session.receive((topic, payload) -> onOwner(() -> route(topic, payload))));
        if (previous != null) {
            previous.run();
        }
        connected = true;
        onOwner(this::connected);
    }

    private void onClientDisconnected(MqttClientDisconnectedContext context) {
        connected = false;
        MqttClientReconnector reconnector = context.getReconnector();
        if (stopped() || context.getSource() == MqttDisconnectSource.USER) {
            reconnector.reconnect(false);
            terminated.complete(null);
            return;
        }
        int attempt = reconnector.getAttempts();
        Duration delay = backoff.delay(attempt, ThreadLocalRandom.current()::nextDouble);
        // The wait is a future rather than the reconnector's delay, so that stop() can end it at once.
        CompletableFuture<Void> gate = new CompletableFuture<>();
        reconnector.reconnectWhen(gate, (ignored, error) -> {
            if (stopped()) {
                reconnector.reconnect(false);
                terminated.complete(null);
            }
        });
        // This transport subscribes again itself, so that onConnected() comes after the SUBACKs. (This also ends the
        // inbound flow with the session; onClientConnected opens a new one.)
        reconnector.resubscribeIfSessionExpired(false).republishIfSessionExpired(false);
        retryGate.set(gate);
        if (stopped()) {
            gate.complete(null);
        } else {
            CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> gate.complete(null));
        }
        Throwable cause = context.getCause();
        onOwner(() -> lost(cause, attempt, delay));
    }

    // --- the gantry-mqtt thread ---

    private void connected() {
        if (stopped()) {
            return;
        }
        long connection = ++generation;
        sessionUp = true;
        if (outageSince == null) {
            LOG.info("Connected to MQTT broker {}", broker);
        } else {
            LOG.info("Connected to MQTT broker {} after {} without it", broker,
                    Durations.format(Duration.ofMillis(Duration.between(outageSince, Instant.now()).toMillis())));
            outageSince = null;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        subscriptions.keySet().forEach(filter -> acks.add(subscribeOnBroker(filter)));
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> onOwner(() -> announce(connection)));
    }

    private void announce(long connection) {
        if (connection != generation || stopped()) {
            return; // lost again before the SUBACKs came
        }
        announced = true;
        for (ConnectionListener listener : List.copyOf(listeners)) {
            guarded("connection listener", listener::onConnected);
        }
    }

    private void lost(Throwable cause, int attempt, Duration delay) {
        if (stopped()) {
            return;
        }
        generation++;
        String reason = reason(cause);
        if (outageSince == null) {
            outageSince = Instant.now();
            if (sessionUp) {
                LOG.warn("Lost the connection to MQTT broker {}: {}; reconnecting until it is back", broker, reason);
            } else {
                LOG.warn("Cannot connect to MQTT broker {}: {}; retrying until it succeeds", broker, reason);
            }
        }
        LOG.debug("MQTT connection attempt {} failed: {}; next attempt in {} ms", attempt, reason, delay.toMillis());
        sessionUp = false;
        if (announced) {
            announced = false;
            for (ConnectionListener listener : List.copyOf(listeners)) {
                guarded("connection listener", () -> listener.onDisconnected(reason));
            }
        }
    }

    private void add(Handler sub) {
        if (!sub.open) {
            return;
        }
        List<Handler> subs = subscriptions.computeIfAbsent(sub.filter, f -> new ArrayList<>());
        subs.add(sub);
        if (subs.size() == 1 && sessionUp) {
            subscribeOnBroker(sub.filter);
        }
    }

    private void remove(Handler sub) {
        List<Handler> subs = subscriptions.get(sub.filter);
        if (subs == null || !subs.remove(sub) || !subs.isEmpty()) {
            return;
        }
        subscriptions.remove(sub.filter);
        if (sessionUp) {
            withTimeout(session.unsubscribe(sub.filter), config.unsubscribeTimeout(), "unsubscribe from " + sub.filter)
                    .whenComplete((ignored, error) -> {
                        if (error != null) {
                            LOG.debug("Unsubscribing from {} failed: {}", sub.filter, reason(error));
                        }
                    });
        }
    }

    private CompletableFuture<Void> subscribeOnBroker(String filter) {
        return withTimeout(session.subscribe(filter), config.subscribeTimeout(), "subscription to " + filter)
                .handle((ignored, error) -> {
                    if (error != null && connected) {
                        // The next reconnect subscribes again; nothing else would help a refused filter.
                        LOG.warn("Subscribing to {} on MQTT broker {} failed: {}", filter, broker, reason(error));
                    } else if (error != null) {
                        LOG.debug("Subscribing to {} failed with the connection: {}", filter, reason(error));
                    }
                    return null;
                });
    }

    private void route(MqttTopic topic, byte[] payload) {
        String name = null;
        for (List<Handler> subs : subscriptions.values()) {
            if (!subs.get(0).matcher.matches(topic)) {
                continue;
            }
            if (name == null) {
                name = topic.toString();
                LOG.debug("MQTT in {} ({} bytes)", name, payload.length);
            }
            for (Handler sub : subs) {
                sub.deliver(name, payload);
            }
        }
    }

    private void onOwner(Runnable task) {
        try {
            owner.execute(task);
        } catch (RejectedExecutionException e) {
            // stopped: nothing is delivered or announced any more
        }
    }

    private static void guarded(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            LOG.error("A {} failed: {}", what, e.toString(), e);
        }
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

    /**
     * The messages along a cause chain, outermost first, leaving out wrappers that only repeat an inner message:
     * "Connection refused: /127.0.0.1:1883" rather than the class names of three wrappers.
     */
    static String reason(Throwable error) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = error; t != null && messages.size() < 8; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                String message = t.getMessage().trim();
                messages.add(message.endsWith(".") ? message.substring(0, message.length() - 1) : message);
            }
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String outer = messages.get(i);
            if (messages.subList(i + 1, messages.size()).stream().noneMatch(outer::contains)) {
                kept.add(outer);
            }
        }
        return kept.isEmpty() ? error.getClass().getSimpleName() : String.join(": ", kept);
    }

    /** One open subscription: its filter, compiled once, and the caller's handler. */
    private final class Handler implements Subscription {
        final String filter;
        final MqttTopicFilter matcher;
        final MessageHandler handler;
        volatile boolean open = true;
        private boolean failedBefore;

        Handler(String filter, MqttTopicFilter matcher, MessageHandler handler) {
            this.filter = filter;
            this.matcher = matcher;
            this.handler = handler;
        }

        void deliver(String topic, byte[] payload) {
            if (!open) {
                return;
            }
            try {
                handler.onMessage(topic, payload);
            } catch (RuntimeException | Error e) {
                // The client must not see it (it would stop the flow of messages); the stack trace once is enough.
                if (failedBefore) {
                    LOG.error("The handler of {} failed on a message on {}: {}", filter, topic, e.toString());
                } else {
                    failedBefore = true;
                    LOG.error("The handler of {} failed on a message on {}", filter, topic, e);
                }
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                onOwner(() -> remove(this));
            }
        }
    }
}

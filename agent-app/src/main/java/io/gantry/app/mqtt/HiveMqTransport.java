package io.gantry.app.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import io.gantry.config.ConnectionConfig;
import io.gantry.config.Durations;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
 * at DEBUG) and the connection at INFO. {@link #reconfigure} applies new settings with a clean reconnect, keeping
 * every subscription and listener.
 *
 * <p>Threads: one thread, {@code gantry-mqtt}, owns the subscriptions and the listeners, routes every inbound message
 * to the handlers whose filters match and calls the connection listeners; a handler that throws is logged and the
 * next message is delivered as usual. After every (re)connect the transport subscribes again to every open filter,
 * waits for the broker's acknowledgements (at most {@code subscribe_timeout}) and only then calls {@code
 * onConnected()}. A listener added while connected hears of the next change only. A subscription opened while
 * connected is sent at once, and a publish made after it waits for its acknowledgement, so the port's ordering
 * promise holds on a connection that is already up too. The futures that {@link #publish} returns complete on a
 * client thread: chain only quick work on them.
 *
 * <p>Payloads: an inbound payload is copied once, out of the client's buffer, and the same array is handed to every
 * matching handler, which must not change it. One over {@code connection.max_payload_size} is refused before that
 * copy: the handlers hear only its topic and size ({@code onRefused}, so the twin can still answer 400), and the
 * refusal is logged at WARN once per topic. On MQTT 5 the broker is told the largest packet Gantry takes and sends
 * nothing larger; MQTT 3.1.1 has no way to say so, so there the client still reads such a message whole, into its
 * own buffer (docs/mqtt.md: the broker's {@code message_size_limit} closes that door).
 * Two overlapping filters (say {@code a/#} and {@code a/b}) may each receive a message twice, because brokers may
 * send one copy per matching subscription; QoS 1 is at-least-once anyway.
 */
public final class HiveMqTransport implements MessageTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqTransport.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /**
     * Topics (their first 256 characters) whose refusal was logged; beyond these a hostile sender's fresh topics are
     * logged at DEBUG only, so that neither the log nor this set grows without end.
     */
    private static final int REFUSED_TOPICS_REMEMBERED = 256;

    private final Backoff backoff;
    private final ScheduledExecutorService owner = Threads.scheduled("gantry-mqtt");
    private final Connection.Events events = new Events();
    private final Object lifecycle = new Object();

    // Owned by the gantry-mqtt thread.
    private final Map<String, List<Handler>> subscriptions = new LinkedHashMap<>();
    private final List<ConnectionListener> listeners = new ArrayList<>();
    private long generation;
    private boolean sessionUp;
    private boolean announced;
    private Instant outageSince;
    private final Set<String> refusedTopics = new HashSet<>();

    // Completes when every subscription opened so far is on the broker (or failed, or is moot); publishes wait for it.
    private final AtomicReference<CompletableFuture<Void>> subscribed =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    // Changed under `lifecycle` (start, reconfigure, stop), read anywhere.
    private volatile BrokerSettings settings;
    private volatile Connection current;
    private volatile String clientId;
    private volatile boolean stopped;

    /**
     * Checks the settings and reads the TLS files; connects only on {@link #start()}.
     *
     * @throws IllegalArgumentException for a bad broker URL, protocol version or TLS file, naming the setting
     */
    public HiveMqTransport(ConnectionConfig config) {
        this(config, Backoff.DEFAULT);
    }

    HiveMqTransport(ConnectionConfig config, Backoff backoff) {
        this.settings = BrokerSettings.from(Objects.requireNonNull(config, "config"));
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Starts connecting in the background and returns at once; a broker that is down is not an error here.
     *
     * @throws IllegalStateException when called twice, or after {@link #stop()}
     */
    public void start() {
        synchronized (lifecycle) {
            if (stopped || current != null) {
                throw new IllegalStateException("the MQTT transport can be started once");
            }
            // Kanto uses a fresh random id per start (§1.1); it stays the same across reconnects.
            clientId = UUID.randomUUID().toString();
            connect("Connecting to");
        }
    }

    /**
     * Applies new connection settings: disconnects cleanly and connects with the new ones, keeping every
     * subscription and listener. The listeners hear {@code onDisconnected} and, once subscribed again on the new
     * connection, {@code onConnected}. Before {@link #start()} the settings are only kept for it.
     *
     * @throws IllegalArgumentException for bad settings, naming the setting; the connection in use then stays
     * @throws IllegalStateException    after {@link #stop()}
     */
    public void reconfigure(ConnectionConfig config) {
        BrokerSettings next = BrokerSettings.from(Objects.requireNonNull(config, "config"));
        synchronized (lifecycle) {
            if (stopped) {
                throw new IllegalStateException("the MQTT transport is stopped");
            }
            settings = next;
            Connection old = current;
            if (old == null) {
                return;
            }
            old.retire(STOP_WAIT);
            onOwner(() -> retired(old, "the connection settings changed"));
            connect("Connection settings changed: connecting to");
        }
    }

    /** Disconnects and ends the transport's threads; waits a few seconds at most. Calling it again does nothing. */
    public void stop() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
            Connection c = current;
            if (c != null) {
                c.retire(STOP_WAIT);
            }
            Threads.shutdown(owner, 2);
            // A subscription whose task the owner dropped would hold back the publishes behind it for ever; released,
            // they fail like any publish after stop.
            subscribed.get().complete(null);
            if (c != null) {
                LOG.info("Stopped the connection to MQTT broker {}", c.settings().broker());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        // A publish follows the subscriptions opened before it onto the broker, so that a request published right
        // after subscribing to its answer (the twin's edge/thing/request) cannot be answered before anyone listens.
        CompletableFuture<Void> before = subscribed.get();
        return before.isDone() ? send(topic, payload, retain) : before.thenCompose(x -> send(topic, payload, retain));
    }

    private CompletableFuture<Void> send(String topic, byte[] payload, boolean retain) {
        Connection c = current;
        if (c == null || stopped || !c.isConnected()) {
            // Fail fast rather than queue: the callers re-publish whole state on reconnect (port contract).
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "not connected to MQTT broker " + settings.broker()));
        }
        try {
            LOG.debug("MQTT out {} ({} bytes)", topic, payload.length);
            return c.publish(topic, payload, retain);
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
        subscribed.updateAndGet(all -> all.isDone() ? sub.onBroker : CompletableFuture.allOf(all, sub.onBroker));
        if (!onOwner(() -> add(sub))) {
            sub.onBroker.complete(null);
        }
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
        Connection c = current;
        return c != null && !stopped && c.isConnected();
    }

    /** Under `lifecycle`: a new connection with the current settings, made current, then started. */
    private void connect(String what) {
        BrokerSettings s = settings;
        String id = s.config().clientId().isEmpty() ? clientId : s.config().clientId();
        Connection c = new Connection(s, id, backoff, events);
        current = c;
        LOG.info("{} MQTT broker {} ({}, client id {})", what, s.broker(), s.version(), id);
        c.connect();
    }

    /** The connection's reports, handed to the gantry-mqtt thread; those of a retired connection are dropped there. */
    private final class Events implements Connection.Events {
        @Override
        public void connected(Connection connection) {
            onOwner(() -> HiveMqTransport.this.connected(connection));
        }

        @Override
        public void lost(Connection connection, Throwable cause, int attempt, Duration delay) {
            onOwner(() -> HiveMqTransport.this.lost(connection, cause, attempt, delay));
        }

        @Override
        public void message(MqttTopic topic, byte[] payload) {
            onOwner(() -> route(topic, payload));
        }

        @Override
        public void refused(MqttTopic topic, long bytes) {
            onOwner(() -> HiveMqTransport.this.refused(topic, bytes));
        }
    }

    // --- the gantry-mqtt thread ---

    private void connected(Connection connection) {
        if (connection != current || stopped) {
            return;
        }
        long number = ++generation;
        sessionUp = true;
        if (outageSince == null) {
            LOG.info("Connected to MQTT broker {}", connection.settings().broker());
        } else {
            LOG.info("Connected to MQTT broker {} after {} without it", connection.settings().broker(),
                    Durations.format(Duration.ofMillis(Duration.between(outageSince, Instant.now()).toMillis())));
            outageSince = null;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        subscriptions.keySet().forEach(filter -> acks.add(subscribeOnBroker(connection, filter)));
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, error) -> onOwner(() -> announce(number)));
    }

    private void announce(long number) {
        if (number != generation || stopped) {
            return; // lost again, or retired, before the SUBACKs came
        }
        announced = true;
        for (ConnectionListener listener : List.copyOf(listeners)) {
            Threads.runGuarded("A connection listener", listener::onConnected);
        }
    }

    private void lost(Connection connection, Throwable cause, int attempt, Duration delay) {
        if (connection != current || stopped) {
            return;
        }
        String reason = reason(cause);
        if (outageSince == null) {
            outageSince = Instant.now();
            BrokerAddress broker = connection.settings().broker();
            if (sessionUp) {
                LOG.warn("Lost the connection to MQTT broker {}: {}; reconnecting until it is back", broker, reason);
            } else {
                LOG.warn("Cannot connect to MQTT broker {}: {}; retrying until it succeeds", broker, reason);
            }
        }
        LOG.debug("MQTT connection attempt {} failed: {}; next attempt in {} ms", attempt, reason, delay.toMillis());
        boolean wasUp = announced;
        down(reason);
        if (!wasUp) {
            for (ConnectionListener listener : List.copyOf(listeners)) {
                Threads.runGuarded("A connection listener", () -> listener.onConnectFailed(reason));
            }
        }
    }

    /** A connection retired for new settings: the listeners hear of it like of a loss, without a WARN. */
    private void retired(Connection connection, String reason) {
        if (!stopped) {
            LOG.debug("MQTT connection to {} closed: {}", connection.settings().broker(), reason);
            outageSince = null;
            down(reason);
        }
    }

    private void down(String reason) {
        generation++;
        sessionUp = false;
        if (announced) {
            announced = false;
            for (ConnectionListener listener : List.copyOf(listeners)) {
                Threads.runGuarded("A connection listener", () -> listener.onDisconnected(reason));
            }
        }
    }

    private void add(Handler sub) {
        if (!sub.open) {
            sub.onBroker.complete(null);
            return;
        }
        List<Handler> subs = subscriptions.computeIfAbsent(sub.filter, f -> new ArrayList<>());
        subs.add(sub);
        if (subs.size() == 1 && sessionUp) {
            subscribeOnBroker(current, sub.filter).whenComplete((ignored, error) -> sub.onBroker.complete(null));
        } else if (subs.size() > 1) {
            subs.get(0).onBroker.whenComplete((ignored, error) -> sub.onBroker.complete(null));
        } else {
            // Not connected: the next connection subscribes before anyone hears of it, and publishes fail until then.
            sub.onBroker.complete(null);
        }
    }

    private void remove(Handler sub) {
        List<Handler> subs = subscriptions.get(sub.filter);
        if (subs == null || !subs.remove(sub) || !subs.isEmpty()) {
            return;
        }
        subscriptions.remove(sub.filter);
        if (sessionUp) {
            current.unsubscribe(sub.filter).whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.debug("Unsubscribing from {} failed: {}", sub.filter, reason(error));
                }
            });
        }
    }

    private CompletableFuture<Void> subscribeOnBroker(Connection connection, String filter) {
        return connection.subscribe(filter).handle((ignored, error) -> {
            if (error != null && connection.isConnected()) {
                // The next reconnect subscribes again; nothing else would help a refused filter.
                LOG.warn("Subscribing to {} on MQTT broker {} failed: {}", filter, connection.settings().broker(),
                        reason(error));
            } else if (error != null) {
                LOG.debug("Subscribing to {} failed with the connection: {}", filter, reason(error));
            }
            return null;
        });
    }

    private void route(MqttTopic topic, byte[] payload) {
        String name = topic.toString();
        LOG.debug("MQTT in {} ({} bytes)", name, payload.length);
        matching(topic).forEach(sub -> sub.deliver(name, handler -> handler.onMessage(name, payload)));
    }

    private void refused(MqttTopic topic, long bytes) {
        String name = topic.toString();
        String key = name.length() > 256 ? name.substring(0, 256) + "…" : name;
        if (refusedTopics.size() < REFUSED_TOPICS_REMEMBERED && refusedTopics.add(key)) {
            LOG.warn("Refused a message of {} bytes on {}: over connection.max_payload_size ({} bytes); further ones"
                    + " on this topic are refused without a word", bytes, key,
                    settings.config().maxPayloadSize().bytes());
        } else {
            LOG.debug("Refused a message of {} bytes on {}", bytes, name);
        }
        matching(topic).forEach(sub -> sub.deliver(name, handler -> handler.onRefused(name, bytes)));
    }

    private List<Handler> matching(MqttTopic topic) {
        List<Handler> out = new ArrayList<>();
        for (List<Handler> subs : subscriptions.values()) {
            if (subs.get(0).matcher.matches(topic)) {
                out.addAll(subs);
            }
        }
        return out;
    }

    /** False when the transport is stopped: nothing is delivered or announced any more. */
    private boolean onOwner(Runnable task) {
        try {
            owner.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
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
        final CompletableFuture<Void> onBroker = new CompletableFuture<>();
        volatile boolean open = true;
        private boolean failedBefore;

        Handler(String filter, MqttTopicFilter matcher, MessageHandler handler) {
            this.filter = filter;
            this.matcher = matcher;
            this.handler = handler;
        }

        void deliver(String topic, Consumer<MessageHandler> call) {
            if (!open) {
                return;
            }
            try {
                call.accept(handler);
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

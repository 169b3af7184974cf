package io.gantry.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.config.ConnectionConfig;
import io.gantry.core.transport.MessageTransport.ConnectionListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The transports a test made, stopped together after it (register it with {@code @RegisterExtension}); and the few
 * steps every transport test repeats.
 */
final class Transports implements AutoCloseable, AfterEachCallback {

    private final List<HiveMqTransport> made = new CopyOnWriteArrayList<>();

    /** A transport with a quick back-off, not started. */
    HiveMqTransport create(ConnectionConfig config) {
        return create(config, TestConnections.QUICK);
    }

    /** A transport with {@code backoff}, not started. */
    HiveMqTransport create(ConnectionConfig config, Backoff backoff) {
        HiveMqTransport transport = new HiveMqTransport(config, backoff);
        made.add(transport);
        return transport;
    }

    /** A started transport whose listeners have been told it is connected. */
    HiveMqTransport connect(ConnectionConfig config) {
        HiveMqTransport transport = create(config);
        ConnectionLog log = new ConnectionLog();
        transport.addConnectionListener(log);
        transport.start();
        await().untilAsserted(() -> assertThat(log.kinds()).contains("connected"));
        return transport;
    }

    /**
     * A transport, not started, that subscribes {@code inbox} to {@code topic} and publishes {@code connected} there on
     * every connect: it receives that only if it subscribed again before telling its listeners.
     */
    HiveMqTransport echoing(ConnectionConfig config, String topic, Inbox inbox, ConnectionListener... listeners) {
        HiveMqTransport transport = create(config);
        transport.subscribe(topic, inbox);
        for (ConnectionListener listener : listeners) {
            transport.addConnectionListener(listener);
        }
        transport.addConnectionListener(() -> transport.publish(topic, bytes("connected"), false));
        return transport;
    }

    static void publishAcknowledged(HiveMqTransport transport, String topic, String text) {
        assertThat(transport.publish(topic, bytes(text), false)).succeedsWithin(Duration.ofSeconds(5));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Threads of the MQTT client or of a transport that are still alive and would keep the JVM running. The client's
     * event loop is shared by every client of the JVM, so a test compares with what was alive before it started.
     */
    static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("gantry-mqtt")
                        || (t.getName().startsWith("com.hivemq.client.mqtt") && !t.isDaemon()))
                .map(Thread::getName)
                .toList();
    }

    @Override
    public void close() {
        made.forEach(HiveMqTransport::stop);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}

package io.gantry.app.cli;

import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import io.gantry.core.transport.RecordingTransport;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory broker for CLI tests: what one side publishes is delivered to every subscription of both sides (the
 * CLI and an update agent on the same transport), as a broker would, and recorded. {@link #link()} is what a
 * {@link TransportFactory} opens; connecting it announces the connection to every listener.
 */
final class Loopback implements MessageTransport {

    final RecordingTransport recording = new RecordingTransport();
    private volatile boolean reachable = true;

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        CompletableFuture<Void> result = recording.publish(topic, payload, retain);
        if (!result.isCompletedExceptionally()) {
            recording.deliver(topic, payload);
        }
        return result;
    }

    @Override
    public Subscription subscribe(String topicFilter, MessageHandler handler) {
        return recording.subscribe(topicFilter, handler);
    }

    @Override
    public Subscription addConnectionListener(ConnectionListener listener) {
        return recording.addConnectionListener(listener);
    }

    @Override
    public boolean isConnected() {
        return recording.isConnected();
    }

    /** From now on, connecting never succeeds (a broker that is down). */
    Loopback unreachable() {
        reachable = false;
        return this;
    }

    TransportFactory factory() {
        return config -> link();
    }

    TransportFactory.BrokerLink link() {
        return new TransportFactory.BrokerLink(this, () -> {
            if (reachable) {
                recording.reconnect();
            }
        }, () -> { });
    }
}

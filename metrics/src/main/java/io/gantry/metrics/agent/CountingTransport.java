package io.gantry.metrics.agent;

import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link MessageTransport} that counts what passes through it into {@link AgentMetrics}: messages received,
 * refused as oversized and published, failed publishes, the connection state and the reconnects. Wrap the real transport with it in the
 * composition root and hand the wrapper to every component, which then need not know about counting.
 */
public final class CountingTransport implements MessageTransport {

    private final MessageTransport delegate;
    private final AgentMetrics metrics;
    private final AtomicBoolean connectedOnce = new AtomicBoolean();
    private final Subscription stateWatch;

    public CountingTransport(MessageTransport delegate, AgentMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.mqttConnected().set(delegate.isConnected());
        connectedOnce.set(delegate.isConnected());
        this.stateWatch = delegate.addConnectionListener(new ConnectionListener() {
            @Override
            public void onConnected() {
                metrics.mqttConnected().set(true);
                if (connectedOnce.getAndSet(true)) {
                    metrics.mqttReconnects().increment();
                }
            }

            @Override
            public void onDisconnected(String reason) {
                metrics.mqttConnected().set(false);
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        CompletableFuture<Void> sent = delegate.publish(topic, payload, retain);
        sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.messagesPublished().increment();
            } else {
                metrics.publishFailures().increment();
            }
        });
        return sent;
    }

    @Override
    public Subscription subscribe(String topicFilter, MessageHandler handler) {
        return delegate.subscribe(topicFilter, new MessageHandler() {
            @Override
            public void onMessage(String topic, byte[] payload) {
                metrics.messagesReceived().increment();
                handler.onMessage(topic, payload);
            }

            @Override
            public void onRefused(String topic, long bytes) {
                metrics.messagesRefused().increment();
                handler.onRefused(topic, bytes);
            }
        });
    }

    @Override
    public Subscription addConnectionListener(ConnectionListener listener) {
        return delegate.addConnectionListener(listener);
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    /** Stops following the connection state; the wrapped transport is not closed. */
    public void stopCounting() {
        stateWatch.close();
    }
}

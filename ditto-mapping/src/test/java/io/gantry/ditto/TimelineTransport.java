package io.gantry.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.Subscription;
import io.gantry.core.golden.GoldenJson;
import io.gantry.core.transport.MessageTransport;
import io.gantry.core.transport.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a {@link RecordingTransport} and keeps one timeline of publishes, subscribes and unsubscribes, for the
 * statements that are about their order ("only then does it subscribe"). A publish reads
 * {@code PUBLISH <topic> <action> <path>}, e.g. {@code PUBLISH e/t/x modify /features/Metrics}.
 */
final class TimelineTransport implements MessageTransport {

    final RecordingTransport delegate;
    final List<String> timeline = new CopyOnWriteArrayList<>();

    TimelineTransport(RecordingTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        String entry = "PUBLISH " + topic;
        try {
            JsonNode envelope = GoldenJson.parse(new String(payload, StandardCharsets.UTF_8));
            String ditto = envelope.path("topic").asText();
            entry += " " + ditto.substring(ditto.lastIndexOf('/') + 1) + " " + envelope.path("path").asText();
        } catch (IllegalArgumentException e) {
            entry += " (not JSON)";
        }
        timeline.add(entry.trim());
        return delegate.publish(topic, payload, retain);
    }

    @Override
    public Subscription subscribe(String topicFilter, MessageHandler handler) {
        timeline.add("SUBSCRIBE " + topicFilter);
        Subscription subscription = delegate.subscribe(topicFilter, handler);
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.getAndSet(false)) {
                timeline.add("UNSUBSCRIBE " + topicFilter);
                subscription.close();
            }
        };
    }

    @Override
    public Subscription addConnectionListener(ConnectionListener listener) {
        return delegate.addConnectionListener(listener);
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }
}

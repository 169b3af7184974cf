package io.gantry.core.transport;

import io.gantry.core.container.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-memory {@link MessageTransport} for unit tests: it records every publish, delivers {@link #deliver} to the
 * matching subscriptions (MQTT wildcards {@code +} and {@code #}) on the calling thread, and can simulate losing
 * and regaining the broker.
 */
public final class RecordingTransport implements MessageTransport {

    /** A message published through this transport. */
    public record Published(String topic, byte[] payload, boolean retain) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private record Sub(String filter, MessageHandler handler) {
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<String> subscribeLog = new CopyOnWriteArrayList<>();
    private volatile boolean connected = true;
    private volatile boolean failPublishes;

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        if (!connected || failPublishes) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        published.add(new Published(topic, payload.clone(), retain));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Subscription subscribe(String topicFilter, MessageHandler handler) {
        Sub sub = new Sub(topicFilter, handler);
        subscriptions.add(sub);
        subscribeLog.add("SUBSCRIBE " + topicFilter);
        return () -> {
            if (subscriptions.remove(sub)) {
                subscribeLog.add("UNSUBSCRIBE " + topicFilter);
            }
        };
    }

    @Override
    public Subscription addConnectionListener(ConnectionListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    /** Delivers an inbound message to every subscription whose filter matches, as the broker would. */
    public void deliver(String topic, String payload) {
        deliver(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    public void deliver(String topic, byte[] payload) {
        for (Sub sub : subscriptions) {
            if (matches(sub.filter(), topic)) {
                sub.handler().onMessage(topic, payload.clone());
            }
        }
    }

    /** A message over the payload limit, refused unread, as the real transport hands it on. */
    public void refuse(String topic, long bytes) {
        for (Sub sub : subscriptions) {
            if (matches(sub.filter(), topic)) {
                sub.handler().onRefused(topic, bytes);
            }
        }
    }

    /** Simulates losing the broker. */
    public void disconnect(String reason) {
        connected = false;
        listeners.forEach(l -> l.onDisconnected(reason));
    }

    /** Simulates the connection coming back (subscriptions are kept, as the real transport re-subscribes). */
    public void reconnect() {
        connected = true;
        listeners.forEach(ConnectionListener::onConnected);
    }

    public void failPublishes(boolean fail) {
        failPublishes = fail;
    }

    public List<Published> published() {
        return List.copyOf(published);
    }

    public List<Published> published(Predicate<Published> filter) {
        return published.stream().filter(filter).toList();
    }

    public List<Published> publishedOn(String topic) {
        return published(p -> p.topic().equals(topic));
    }

    public void clear() {
        published.clear();
    }

    /** Every SUBSCRIBE and UNSUBSCRIBE so far, in order. */
    public List<String> subscribeLog() {
        return List.copyOf(subscribeLog);
    }

    public List<String> activeFilters() {
        List<String> filters = new ArrayList<>();
        subscriptions.forEach(s -> filters.add(s.filter()));
        return filters;
    }

    /** MQTT topic filter matching ({@code +} one level, {@code #} the rest). */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}

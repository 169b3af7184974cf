package io.gantry.core.transport;

import io.gantry.core.container.Subscription;
import java.util.concurrent.CompletableFuture;

/**
 * The local MQTT broker connection, shared by the twin and the update agent. Every publish and subscription uses
 * QoS 1, as Kanto does.
 *
 * <p>Threading: handlers and listeners are called on the transport's own thread and must hand work off and return.
 * Subscriptions survive reconnects: after the connection is back, the transport subscribes again to every open
 * subscription and only then calls {@link ConnectionListener#onConnected()}, so a listener that publishes a request
 * on connect cannot miss the answer. In the same way, a publish made after {@code subscribe} returned is sent only once
 * that subscription is on the broker (or has failed), so a request published right after subscribing to its answer
 * cannot miss it either.
 *
 * <p>Failures: {@code publish} completes exceptionally when the broker is unreachable or does not acknowledge in
 * time; it is never retried by the transport (the callers re-publish whole state on reconnect).
 *
 * <p>Size: an inbound message larger than the transport's payload limit ({@code connection.max_payload_size}) is
 * refused unread: its payload is never handed to a handler, only its topic and size through {@link
 * MessageHandler#onRefused}; the transport logs the refusal (once per topic) and stays connected.
 */
public interface MessageTransport {

    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain);

    Subscription subscribe(String topicFilter, MessageHandler handler);

    Subscription addConnectionListener(ConnectionListener listener);

    boolean isConnected();

    /** Receives messages of one subscription. */
    @FunctionalInterface
    interface MessageHandler {
        void onMessage(String topic, byte[] payload);

        /** A message of {@code bytes} on {@code topic} was over the payload limit and refused unread. */
        default void onRefused(String topic, long bytes) {
        }
    }

    /** Learns about the connection's state. */
    interface ConnectionListener {
        void onConnected();

        default void onDisconnected(String reason) {
        }

        /**
         * An attempt to connect failed while no connection was up (refused, bad credentials, TLS); {@code reason}
         * names why and never holds a secret. The transport keeps retrying; this is for callers that report it.
         */
        default void onConnectFailed(String reason) {
        }
    }
}

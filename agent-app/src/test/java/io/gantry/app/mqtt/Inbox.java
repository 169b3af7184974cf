package io.gantry.app.mqtt;

import io.gantry.core.transport.MessageTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A message handler that keeps what it receives, as {@code topic=payload} strings, and what the transport refused, for
 * tests to wait on.
 */
final class Inbox implements MessageTransport.MessageHandler {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String topic, byte[] payload) {
        messages.add(topic + "=" + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void onRefused(String topic, long bytes) {
        refused.add(topic + " (" + bytes + " bytes)");
    }

    /** The messages the transport refused as oversized, as {@code topic (N bytes)}. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    List<String> messages() {
        return List.copyOf(messages);
    }
}

package io.gantry.app.mqtt;

import io.gantry.core.transport.MessageTransport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection listener that keeps what it hears: {@code connected} and {@code disconnected: <reason>}. */
class ConnectionLog implements MessageTransport.ConnectionListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onConnected() {
        events.add("connected");
    }

    @Override
    public void onDisconnected(String reason) {
        events.add("disconnected: " + reason);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    /** The events with the reasons left out, for comparing sequences. */
    List<String> kinds() {
        return events().stream().map(e -> e.startsWith("disconnected") ? "disconnected" : e).toList();
    }
}

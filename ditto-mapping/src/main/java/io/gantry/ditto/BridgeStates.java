package io.gantry.ditto;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last known state of each bridge from the local broker to the cloud, as Mosquitto announces it with
 * {@code notifications true}: a retained {@code 1} (connected) or {@code 0} (not) on one topic per bridge.
 *
 * <p>Contract: {@link #cameUp} is true only for a bridge seen down and now up. The retained {@code 1} that arrives on
 * subscribing, or again after Gantry's own reconnect, is no change: Gantry publishes the whole twin on its own
 * (re)connect already, and a second, identical publication would only cost the back end. Not thread-safe: the twin
 * loop owns it.
 */
final class BridgeStates {

    private final Map<String, Boolean> connected = new HashMap<>();

    /** {@code 1} or {@code 0} (surrounding white space allowed); anything else is empty. */
    static Optional<Boolean> parse(byte[] payload) {
        if (payload.length > 16) {
            return Optional.empty();
        }
        return switch (new String(payload, StandardCharsets.UTF_8).strip()) {
            case "1" -> Optional.of(true);
            case "0" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** Records the state of the bridge announced on {@code topic}; true when that bridge went from down to up. */
    boolean cameUp(String topic, boolean nowConnected) {
        Boolean before = connected.put(topic, nowConnected);
        return nowConnected && Boolean.FALSE.equals(before);
    }

    /** Forgets every bridge (the topic changed). */
    void clear() {
        connected.clear();
    }
}

package io.gantry.update.protocol;

import io.gantry.update.window.UpdateWindowGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent node's inventory parameters for a desired state that waits for the update window:
 * {@code waitingActivity} (its activity id) and {@code waitingUntil} (the next opening, ISO-8601 UTC, or
 * {@code unknown}); none when nothing waits. {@code gantry state} prints them.
 */
public final class WindowParameters {

    public static final String WAITING_ACTIVITY = "waitingActivity";
    public static final String WAITING_UNTIL = "waitingUntil";

    private WindowParameters() {
    }

    public static List<WireKeyValue> of(Optional<UpdateWindowGate.Waiting> waiting) {
        List<WireKeyValue> parameters = new ArrayList<>();
        waiting.ifPresent(w -> {
            parameters.add(new WireKeyValue(WAITING_ACTIVITY, w.activityId()));
            parameters.add(new WireKeyValue(WAITING_UNTIL, w.opensAt().map(Object::toString).orElse("unknown")));
        });
        return parameters;
    }
}

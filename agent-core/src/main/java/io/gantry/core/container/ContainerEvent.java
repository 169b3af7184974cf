package io.gantry.core.container;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a container, as the engine's event stream reports it. Events carry no container
 * state: a listener that needs it inspects the container, so it never acts on a stale copy.
 */
public record ContainerEvent(Kind kind, ContainerId id, Instant time, Map<String, String> attributes) {

    /** The container events Gantry reacts to; Docker's action names are in brackets. */
    public enum Kind {
        /** [create] */ CREATED,
        /** [start, restart] */ STARTED,
        /** [kill]: a signal was sent; a following DIED means the container was stopped from outside. */ KILLED,
        /** [die]: the process ended; attribute {@code exitCode}. */ DIED,
        /** [stop]: an explicit stop finished. */ STOPPED,
        /** [pause] */ PAUSED,
        /** [unpause] */ RESUMED,
        /** [rename]: attribute {@code name} is the new name. */ RENAMED,
        /** [update]: restart policy or resources changed. */ UPDATED,
        /** [destroy] */ REMOVED,
        /** [health_status]: attribute {@code health}. */ HEALTH_CHANGED,
        /** [oom] */ OUT_OF_MEMORY
    }

    public ContainerEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        attributes = Map.copyOf(attributes);
    }

    public static ContainerEvent of(Kind kind, ContainerId id, Instant time) {
        return new ContainerEvent(kind, id, time, Map.of());
    }

    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    /** The {@code exitCode} of a {@link Kind#DIED} event; empty when the engine sent none or not a number. */
    public Optional<Long> exitCode() {
        try {
            return attribute("exitCode").map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

package io.gantry.update.operation;

import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.EngineListener;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers how the containers being settled ended, from the engine's event stream: a container that crashed and
 * was restarted by its restart policy looks running again when inspected, but its {@code die} event says it failed.
 *
 * <p>Threading: events arrive on the engine adapter's thread and are only recorded; the owner thread reads.
 */
public final class DeathWatch implements EngineListener {

    private static final long NOT_DEAD = Long.MIN_VALUE;

    private final Map<ContainerId, Long> watched = new ConcurrentHashMap<>();

    void watch(ContainerId id) {
        watched.put(id, NOT_DEAD);
    }

    void forget(ContainerId id) {
        watched.remove(id);
    }

    /** The exit code of the first failed run of {@code id} since it was watched, if it failed. */
    OptionalLong failure(ContainerId id) {
        Long code = watched.get(id);
        return code == null || code == NOT_DEAD ? OptionalLong.empty() : OptionalLong.of(code);
    }

    @Override
    public void onEvent(ContainerEvent event) {
        if (event.kind() == ContainerEvent.Kind.OUT_OF_MEMORY) {
            watched.computeIfPresent(event.id(), (id, code) -> code == NOT_DEAD ? 137L : code);
            return;
        }
        if (event.kind() != ContainerEvent.Kind.DIED) {
            return;
        }
        // No code at all counts as a clean exit; one that is not a number as a failure.
        long exitCode = event.attribute("exitCode").isEmpty() ? 0 : event.exitCode().orElse(-1L);
        if (exitCode != 0) {
            long code = exitCode;
            watched.computeIfPresent(event.id(), (id, previous) -> previous == NOT_DEAD ? code : previous);
        }
    }
}

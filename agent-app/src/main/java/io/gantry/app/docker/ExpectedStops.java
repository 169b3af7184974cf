package io.gantry.app.docker;

import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.Signals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stops, kills and forced removals this adapter has asked for and whose events have not all arrived, so that the
 * event stream can put Podman's events in Docker's shape: Podman 4.3 sends no {@code kill} event for a stop or a
 * forced removal, a {@code stop} event only at times and then before the {@code die}, and no {@code signal} attribute
 * on {@code kill} (docs/engines.md). Docker sends all of them in order, so on Docker every expectation is met by the
 * engine's own events and nothing is added or moved.
 *
 * <p>Call threads register an expectation before the request ({@link #stopping}, {@link #killing},
 * {@link #removing}) and withdraw it when the engine did nothing ({@link #withdraw}); the event thread completes
 * the events ({@link #complete}). Thread-safe.
 */
final class ExpectedStops {

    /** What was asked of one container, and what the stream has shown of it since. */
    private record Expectation(Kind kind, String signal, Instant asked, boolean killSeen, boolean stopHeld) {
        /** The signal as Docker's kill event carries it: its number where it has one. */
        Expectation {
            signal = Signals.wireForm(signal);
        }

        Expectation seen() {
            return new Expectation(kind, signal, asked, true, stopHeld);
        }

        Expectation holdingStop() {
            return new Expectation(kind, signal, asked, killSeen, true);
        }
    }

    private enum Kind { STOP, KILL, REMOVE }

    private final Map<ContainerId, Expectation> pending = new ConcurrentHashMap<>();

    /**
     * A stop is about to be sent; {@code signal} is the container's stop signal, as a number or a name. False when an
     * earlier request's events are still awaited (the engine's events can lag its answers): that one stays.
     */
    boolean stopping(ContainerId id, String signal) {
        return pending.putIfAbsent(id, new Expectation(Kind.STOP, signal, Instant.now(), false, false)) == null;
    }

    /** A kill with {@code signal} is about to be sent (a stop with another signal); false as for {@link #stopping}. */
    boolean killing(ContainerId id, String signal) {
        return pending.putIfAbsent(id, new Expectation(Kind.KILL, signal, Instant.now(), false, false)) == null;
    }

    /** A forced removal, which kills a running container with SIGKILL, is about to be sent. */
    boolean removing(ContainerId id) {
        return pending.putIfAbsent(id, new Expectation(Kind.REMOVE, "SIGKILL", Instant.now(), false, false)) == null;
    }

    /**
     * The engine answered that there was nothing to do (not running, already stopped) or failed, so no events come of
     * the request that {@code added} the expectation; an expectation of an earlier request stays.
     */
    void withdraw(ContainerId id, boolean added) {
        if (added) {
            pending.remove(id);
        }
    }

    /**
     * The events to deliver for one engine event: {@code event} itself (possibly with the signal filled in), preceded
     * by the kill the engine did not announce, or followed by the stop it did not announce; {@code action} is the
     * engine's raw action, which for Podman's {@code cleanup} maps to no event of the port.
     */
    List<ContainerEvent> complete(String action, ContainerId id, Instant time, Optional<ContainerEvent> event) {
        Expectation expected = pending.get(id);
        if (expected == null) {
            return event.map(List::of).orElse(List.of());
        }
        if (event.isEmpty()) {
            // Podman's cleanup follows the die of a stop; Docker's stop event comes at that point.
            if (action.equals("cleanup") && expected.kind() == Kind.STOP && expected.killSeen()) {
                pending.remove(id);
                return List.of(ContainerEvent.of(ContainerEvent.Kind.STOPPED, id, time));
            }
            return List.of();
        }
        ContainerEvent e = event.get();
        switch (e.kind()) {
            case KILLED -> {
                pending.put(id, expected.seen());
                return List.of(e.attribute("signal").isPresent() ? e : withSignal(e, expected.signal()));
            }
            case DIED -> {
                List<ContainerEvent> out = new ArrayList<>();
                if (!expected.killSeen()) {
                    out.add(new ContainerEvent(ContainerEvent.Kind.KILLED, id, e.time(),
                            Map.of("signal", expected.signal())));
                }
                out.add(e);
                if (expected.stopHeld() && expected.kind() == Kind.STOP) {
                    out.add(ContainerEvent.of(ContainerEvent.Kind.STOPPED, id, e.time()));
                }
                if (expected.kind() == Kind.KILL || expected.stopHeld()) {
                    pending.remove(id);
                } else {
                    pending.put(id, expected.seen());
                }
                return out;
            }
            case STOPPED -> {
                if (expected.killSeen()) {
                    pending.remove(id);
                    return List.of(e);
                }
                // Podman sometimes announces the stop before the die; Docker's order is kill, die, stop.
                pending.put(id, expected.holdingStop());
                return List.of();
            }
            case REMOVED -> {
                pending.remove(id);
                return List.of(e);
            }
            case STARTED -> {
                // Podman answers 204 to a stop of a container that never ran, and no event follows: a start after
                // the request ends the expectation. A start before it is an event that arrived late (they lag).
                if (e.time().isAfter(expected.asked())) {
                    pending.remove(id);
                }
                return List.of(e);
            }
            default -> {
                return List.of(e);
            }
        }
    }

    private static ContainerEvent withSignal(ContainerEvent e, String signal) {
        Map<String, String> attributes = new TreeMap<>(e.attributes());
        attributes.put("signal", signal);
        return new ContainerEvent(e.kind(), e.id(), e.time(), attributes);
    }
}

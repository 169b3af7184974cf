package io.gantry.core.policy;

import io.gantry.core.container.Subscription;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the agent's recent refusals (docs/trust.md, "Recent refusals"): the last {@link #CAPACITY}
 * {@link Refusal}s of {@link Admission} and findings of the {@link UnmanagedGuard}, and of {@code gantry create} as the
 * CLI reports them, newest first. The twin's {@code Gantry} feature and the dashboard show what it holds.
 *
 * <p>Threading: any thread may {@link #record} and read; listeners run on the recording thread, after the change,
 * with the whole new list, and must only hand off.
 */
public final class RecentRefusals {

    /** How many are kept: enough to see what happened, small enough for one twin property. */
    public static final int CAPACITY = 20;

    private static final Logger LOG = LoggerFactory.getLogger(RecentRefusals.class);

    private final Deque<Refusal> recent = new ArrayDeque<>();
    private final List<Consumer<List<Refusal>>> listeners = new CopyOnWriteArrayList<>();

    /** Keeps {@code refusal} as the newest, dropping the oldest beyond {@link #CAPACITY}, and tells the listeners. */
    public void record(Refusal refusal) {
        Objects.requireNonNull(refusal, "refusal");
        List<Refusal> now;
        synchronized (recent) {
            recent.addFirst(refusal);
            while (recent.size() > CAPACITY) {
                recent.removeLast();
            }
            now = List.copyOf(recent);
        }
        for (Consumer<List<Refusal>> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                LOG.error("A listener of the recent refusals failed: {}", e.toString(), e);
            }
        }
    }

    /** The recent refusals, newest first. */
    public List<Refusal> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** {@code listener} hears every change with the whole list, until the subscription is closed. */
    public Subscription onChange(Consumer<List<Refusal>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }
}

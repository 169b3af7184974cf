package io.gantry.update.operation;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells a running operation, at its safe points, that it must stop: each valid desired state is announced here as
 * soon as it is decoded (on the MQTT thread), so the operation on the owner thread sees it without waiting for its
 * turn in the queue.
 *
 * <p>Threading: {@link #announce} and {@link #stop} from any thread; {@link #check} from the owner thread.
 */
public final class Interrupts {

    private record Latest(long sequence, String activityId) {
    }

    /** The sequence of an operation no desired state supersedes (a descriptor deployment's): only a stop ends it. */
    public static final long NEVER_SUPERSEDED = Long.MAX_VALUE;

    private final AtomicReference<Latest> latest = new AtomicReference<>(new Latest(0, ""));
    private volatile boolean stopping;

    /** Records a newly received desired state and returns its sequence number. */
    public long announce(String activityId) {
        return latest.updateAndGet(l -> new Latest(l.sequence() + 1, activityId)).sequence();
    }

    /** The activity of a desired state received after the one with {@code sequence}, if any. */
    public Optional<String> supersededBy(long sequence) {
        Latest l = latest.get();
        return l.sequence() > sequence ? Optional.of(l.activityId()) : Optional.empty();
    }

    public void stop() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * A safe point of the operation with {@code sequence}.
     *
     * @throws OperationInterrupted when the agent stops or a newer desired state arrived
     */
    public void check(long sequence) {
        if (stopping) {
            throw OperationInterrupted.stopping();
        }
        Optional<String> newer = supersededBy(sequence);
        if (newer.isPresent()) {
            throw OperationInterrupted.superseded(newer.get());
        }
    }
}

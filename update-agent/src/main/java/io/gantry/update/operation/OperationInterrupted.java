package io.gantry.update.operation;

import java.util.Optional;

/**
 * Thrown at a safe point of a running operation when it must stop: a newer desired state supersedes it, or the agent
 * is stopping. The operation's journal still describes what was done.
 */
public final class OperationInterrupted extends RuntimeException {

    private final transient Optional<String> supersededBy;

    private OperationInterrupted(String message, Optional<String> supersededBy) {
        super(message, null, false, false);
        this.supersededBy = supersededBy;
    }

    static OperationInterrupted superseded(String activityId) {
        return new OperationInterrupted("superseded by activity " + activityId, Optional.of(activityId));
    }

    public static OperationInterrupted stopping() {
        return new OperationInterrupted("the update agent is stopping", Optional.empty());
    }

    /** The activity of the newer desired state, or empty when the agent is stopping. */
    public Optional<String> supersededBy() {
        return supersededBy;
    }
}

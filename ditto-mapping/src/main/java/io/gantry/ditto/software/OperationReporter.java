package io.gantry.ditto.software;

import io.gantry.core.container.ContainerId;
import java.time.Duration;

/**
 * Where install and remove report progress: the twin publishes each status as
 * {@code SoftwareUpdatable/properties/status/lastOperation} or {@code …/lastFailedOperation} and keeps the last of
 * each for the next registration. Calls may come from any thread; their order is kept.
 */
public interface OperationReporter {

    void lastOperation(OperationStatus status);

    void lastFailedOperation(OperationStatus status);

    /**
     * Waits until the twin no longer shows container {@code id}, its removal and the new
     * {@code installedDependencies} published, so that a {@code REMOVED} reported next follows them as in Kanto;
     * false when {@code timeout} passed first (the engine's removal event is late). Blocks the caller, so it is for
     * a worker thread: on the twin's loop it would hold up the very removal it waits for.
     */
    boolean awaitRemoved(ContainerId id, Duration timeout) throws InterruptedException;
}

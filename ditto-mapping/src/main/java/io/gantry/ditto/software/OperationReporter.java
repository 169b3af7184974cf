package io.gantry.ditto.software;

/**
 * Where install and remove report progress: the twin publishes each status as
 * {@code SoftwareUpdatable/properties/status/lastOperation} or {@code …/lastFailedOperation} and keeps the last of
 * each for the next registration. Calls may come from any thread; their order is kept.
 */
public interface OperationReporter {

    void lastOperation(OperationStatus status);

    void lastFailedOperation(OperationStatus status);
}

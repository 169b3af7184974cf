package io.gantry.update.operation;

/**
 * Where an operation or one of its baselines stands: identification, the three phases with their outcomes, rollback,
 * cleanup and the end. The orchestrated commands a baseline accepts depend on its stage.
 *
 * <p>Contract: the constant names keep Kanto's spelling because failure messages name the stage a phase failed in
 * ({@code ACTIVATION_FAILURE of containers:web: ...}); which feedback status stands for each is decided in
 * {@code protocol/} alone.
 */
public enum Stage {
    IDENTIFYING, IDENTIFIED, IDENTIFICATION_FAILED,
    DOWNLOADING, DOWNLOAD_SUCCESS, DOWNLOAD_FAILURE,
    UPDATING, UPDATE_SUCCESS, UPDATE_FAILURE,
    ACTIVATING, ACTIVATION_SUCCESS, ACTIVATION_FAILURE,
    ROLLBACK, ROLLBACK_SUCCESS, ROLLBACK_FAILURE,
    /** The failure of a cleanup that found no such baseline. */
    CLEANUP, CLEANUP_SUCCESS, CLEANUP_FAILURE,
    COMPLETED, INCOMPLETE;

    /** True for the stages that end an operation. */
    public boolean isFinal() {
        return this == COMPLETED || this == INCOMPLETE || this == IDENTIFICATION_FAILED;
    }
}

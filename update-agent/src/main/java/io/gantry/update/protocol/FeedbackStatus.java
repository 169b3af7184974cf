package io.gantry.update.protocol;

import io.gantry.core.container.EnumNames;
import java.util.Optional;

/**
 * The top-level status of a desired-state feedback message: the operation's statuses and the phase (baseline)
 * statuses that Kanto's agent puts in the same field (reference/kanto-cua.md §3, §8.8).
 */
public enum FeedbackStatus {
    IDENTIFYING, IDENTIFIED, IDENTIFICATION_FAILED,
    DOWNLOADING, DOWNLOAD_SUCCESS, DOWNLOAD_FAILURE,
    UPDATING, UPDATE_SUCCESS, UPDATE_FAILURE,
    ACTIVATING, ACTIVATION_SUCCESS, ACTIVATION_FAILURE,
    ROLLBACK, ROLLBACK_SUCCESS, ROLLBACK_FAILURE,
    /** Kanto's failure status of a CLEANUP command for an unknown baseline (sic). */
    CLEANUP, CLEANUP_SUCCESS, CLEANUP_FAILURE,
    COMPLETED, INCOMPLETE;

    public static Optional<FeedbackStatus> forName(String name) {
        return EnumNames.exact(FeedbackStatus.class, name);
    }

    /** True for the statuses that end an operation. */
    public boolean isFinal() {
        return this == COMPLETED || this == INCOMPLETE || this == IDENTIFICATION_FAILED;
    }
}

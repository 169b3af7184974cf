package io.gantry.update.protocol;

import io.gantry.core.container.ExactNames;
import java.util.Optional;

/**
 * A phase command of the orchestrated protocol (reference/kanto-cua.md §3.4), with the baseline status it needs and
 * the status it reports when it cannot run.
 */
public enum Command {
    DOWNLOAD(FeedbackStatus.DOWNLOAD_FAILURE, FeedbackStatus.IDENTIFIED),
    UPDATE(FeedbackStatus.UPDATE_FAILURE, FeedbackStatus.DOWNLOAD_SUCCESS),
    ACTIVATE(FeedbackStatus.ACTIVATION_FAILURE, FeedbackStatus.UPDATE_SUCCESS),
    ROLLBACK(FeedbackStatus.ROLLBACK_FAILURE, FeedbackStatus.DOWNLOAD_SUCCESS, FeedbackStatus.UPDATE_SUCCESS,
            FeedbackStatus.ACTIVATION_FAILURE, FeedbackStatus.ACTIVATION_SUCCESS),
    /** Runs in any baseline status; Kanto's failure status for an unknown baseline is the bare {@code CLEANUP}. */
    CLEANUP(FeedbackStatus.CLEANUP);

    private final FeedbackStatus failureStatus;
    private final FeedbackStatus[] requiredStatuses;

    Command(FeedbackStatus failureStatus, FeedbackStatus... requiredStatuses) {
        this.failureStatus = failureStatus;
        this.requiredStatuses = requiredStatuses;
    }

    /** Kanto matches command names exactly; anything else is ignored without feedback (§3.4, §7.42). */
    public static Optional<Command> forName(String name) {
        return ExactNames.forName(Command.class, name);
    }

    public FeedbackStatus failureStatus() {
        return failureStatus;
    }

    /** Whether a baseline in {@code status} may run this command. */
    public boolean allowedIn(FeedbackStatus status) {
        if (requiredStatuses.length == 0) {
            return true;
        }
        for (FeedbackStatus required : requiredStatuses) {
            if (required == status) {
                return true;
            }
        }
        return false;
    }

    /** Kanto's precondition message: {@code UPDATE is possible only after status DOWNLOAD_SUCCESS is reported}. */
    public String preconditionMessage() {
        StringBuilder statuses = new StringBuilder();
        for (FeedbackStatus required : requiredStatuses) {
            if (statuses.length() > 0) {
                statuses.append('|');
            }
            statuses.append(required.name());
        }
        return name() + " is possible only after status " + statuses + " is reported";
    }
}

package io.gantry.update.protocol;

import io.gantry.core.container.EnumNames;
import io.gantry.update.operation.Stage;
import java.util.Optional;

/**
 * A phase command of the orchestrated protocol (reference/kanto-cua.md §3.4), with the baseline stages it needs and
 * the stage it reports when it cannot run.
 */
public enum Command {
    DOWNLOAD(Stage.DOWNLOAD_FAILURE, Stage.IDENTIFIED),
    UPDATE(Stage.UPDATE_FAILURE, Stage.DOWNLOAD_SUCCESS),
    ACTIVATE(Stage.ACTIVATION_FAILURE, Stage.UPDATE_SUCCESS),
    ROLLBACK(Stage.ROLLBACK_FAILURE, Stage.DOWNLOAD_SUCCESS, Stage.UPDATE_SUCCESS,
            Stage.ACTIVATION_FAILURE, Stage.ACTIVATION_SUCCESS),
    /** Runs in any baseline status; Kanto's failure status for an unknown baseline is the bare {@code CLEANUP}. */
    CLEANUP(Stage.CLEANUP);

    private final Stage failureStatus;
    private final Stage[] requiredStatuses;

    Command(Stage failureStatus, Stage... requiredStatuses) {
        this.failureStatus = failureStatus;
        this.requiredStatuses = requiredStatuses;
    }

    /** Kanto matches command names exactly; anything else is ignored without feedback (§3.4, §7.42). */
    public static Optional<Command> forName(String name) {
        return EnumNames.exact(Command.class, name);
    }

    public Stage failureStatus() {
        return failureStatus;
    }

    /** Whether a baseline at {@code status} may run this command. */
    public boolean allowedIn(Stage status) {
        if (requiredStatuses.length == 0) {
            return true;
        }
        for (Stage required : requiredStatuses) {
            if (required == status) {
                return true;
            }
        }
        return false;
    }

    /** Kanto's precondition message: {@code UPDATE is possible only after status DOWNLOAD_SUCCESS is reported}. */
    public String preconditionMessage() {
        StringBuilder statuses = new StringBuilder();
        for (Stage required : requiredStatuses) {
            if (statuses.length() > 0) {
                statuses.append('|');
            }
            statuses.append(FeedbackMapper.status(required).name());
        }
        return name() + " is possible only after status " + statuses + " is reported";
    }
}

package io.gantry.update.protocol;

import io.gantry.update.operation.ActionState;
import io.gantry.update.operation.Report;
import io.gantry.update.operation.Stage;

/**
 * Turns an operation's {@link Report} into Kanto's feedback payload (reference/kanto-cua.md §1.3, §3.4): the one place
 * that decides which feedback and action status stands for each stage and action state.
 */
public final class FeedbackMapper {

    private FeedbackMapper() {
    }

    public static WireFeedback toWire(Report report) {
        return new WireFeedback(report.baseline(), status(report.stage()).name(), report.message(),
                report.actions().stream().map(FeedbackMapper::toWire).toList());
    }

    private static WireAction toWire(Report.ActionReport action) {
        return new WireAction(new WireComponentRef(action.componentId(), action.version()),
                status(action.state()).name(), null, action.message());
    }

    public static FeedbackStatus status(Stage stage) {
        return switch (stage) {
            case IDENTIFYING -> FeedbackStatus.IDENTIFYING;
            case IDENTIFIED -> FeedbackStatus.IDENTIFIED;
            case IDENTIFICATION_FAILED -> FeedbackStatus.IDENTIFICATION_FAILED;
            case DOWNLOADING -> FeedbackStatus.DOWNLOADING;
            case DOWNLOAD_SUCCESS -> FeedbackStatus.DOWNLOAD_SUCCESS;
            case DOWNLOAD_FAILURE -> FeedbackStatus.DOWNLOAD_FAILURE;
            case UPDATING -> FeedbackStatus.UPDATING;
            case UPDATE_SUCCESS -> FeedbackStatus.UPDATE_SUCCESS;
            case UPDATE_FAILURE -> FeedbackStatus.UPDATE_FAILURE;
            case ACTIVATING -> FeedbackStatus.ACTIVATING;
            case ACTIVATION_SUCCESS -> FeedbackStatus.ACTIVATION_SUCCESS;
            case ACTIVATION_FAILURE -> FeedbackStatus.ACTIVATION_FAILURE;
            case ROLLBACK -> FeedbackStatus.ROLLBACK;
            case ROLLBACK_SUCCESS -> FeedbackStatus.ROLLBACK_SUCCESS;
            case ROLLBACK_FAILURE -> FeedbackStatus.ROLLBACK_FAILURE;
            case CLEANUP -> FeedbackStatus.CLEANUP;
            case CLEANUP_SUCCESS -> FeedbackStatus.CLEANUP_SUCCESS;
            case CLEANUP_FAILURE -> FeedbackStatus.CLEANUP_FAILURE;
            case COMPLETED -> FeedbackStatus.COMPLETED;
            case INCOMPLETE -> FeedbackStatus.INCOMPLETE;
        };
    }

    public static ActionStatus status(ActionState state) {
        return switch (state) {
            case IDENTIFIED -> ActionStatus.IDENTIFIED;
            case DOWNLOADING -> ActionStatus.DOWNLOADING;
            case DOWNLOAD_SUCCESS -> ActionStatus.DOWNLOAD_SUCCESS;
            case DOWNLOAD_FAILURE -> ActionStatus.DOWNLOAD_FAILURE;
            case UPDATING -> ActionStatus.UPDATING;
            case UPDATE_SUCCESS -> ActionStatus.UPDATE_SUCCESS;
            case UPDATE_FAILURE -> ActionStatus.UPDATE_FAILURE;
            case ACTIVATING -> ActionStatus.ACTIVATING;
            case ACTIVATION_SUCCESS -> ActionStatus.ACTIVATION_SUCCESS;
            case ACTIVATION_FAILURE -> ActionStatus.ACTIVATION_FAILURE;
            case REMOVAL_SUCCESS -> ActionStatus.REMOVAL_SUCCESS;
            case REMOVAL_FAILURE -> ActionStatus.REMOVAL_FAILURE;
        };
    }
}

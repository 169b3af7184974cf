package io.gantry.update.operation;

import io.gantry.update.protocol.ActionStatus;
import io.gantry.update.protocol.FeedbackStatus;

/**
 * The phases an action goes through, with the statuses Kanto reports for them (reference/kanto-cua.md §3.4); each
 * runs at most once per action, whichever baseline asks for it.
 */
enum Phase {
    DOWNLOAD(FeedbackStatus.DOWNLOADING, FeedbackStatus.DOWNLOAD_SUCCESS, FeedbackStatus.DOWNLOAD_FAILURE,
            ActionStatus.DOWNLOADING, ActionStatus.DOWNLOAD_SUCCESS, ActionStatus.DOWNLOAD_FAILURE),
    UPDATE(FeedbackStatus.UPDATING, FeedbackStatus.UPDATE_SUCCESS, FeedbackStatus.UPDATE_FAILURE,
            ActionStatus.UPDATING, ActionStatus.UPDATE_SUCCESS, ActionStatus.UPDATE_FAILURE),
    ACTIVATE(FeedbackStatus.ACTIVATING, FeedbackStatus.ACTIVATION_SUCCESS, FeedbackStatus.ACTIVATION_FAILURE,
            ActionStatus.ACTIVATING, ActionStatus.ACTIVATION_SUCCESS, ActionStatus.ACTIVATION_FAILURE);

    final FeedbackStatus running;
    final FeedbackStatus success;
    final FeedbackStatus failure;
    final ActionStatus actionRunning;
    final ActionStatus actionSuccess;
    final ActionStatus actionFailure;

    Phase(FeedbackStatus running, FeedbackStatus success, FeedbackStatus failure, ActionStatus actionRunning,
          ActionStatus actionSuccess, ActionStatus actionFailure) {
        this.running = running;
        this.success = success;
        this.failure = failure;
        this.actionRunning = actionRunning;
        this.actionSuccess = actionSuccess;
        this.actionFailure = actionFailure;
    }
}

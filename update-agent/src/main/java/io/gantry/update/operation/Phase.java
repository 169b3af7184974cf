package io.gantry.update.operation;

/**
 * The phases an action goes through, with the stages and action states they report (reference/kanto-cua.md §3.4); each
 * runs at most once per action, whichever baseline asks for it.
 */
enum Phase {
    DOWNLOAD(Stage.DOWNLOADING, Stage.DOWNLOAD_SUCCESS, Stage.DOWNLOAD_FAILURE,
            ActionState.DOWNLOADING, ActionState.DOWNLOAD_SUCCESS, ActionState.DOWNLOAD_FAILURE),
    UPDATE(Stage.UPDATING, Stage.UPDATE_SUCCESS, Stage.UPDATE_FAILURE,
            ActionState.UPDATING, ActionState.UPDATE_SUCCESS, ActionState.UPDATE_FAILURE),
    ACTIVATE(Stage.ACTIVATING, Stage.ACTIVATION_SUCCESS, Stage.ACTIVATION_FAILURE,
            ActionState.ACTIVATING, ActionState.ACTIVATION_SUCCESS, ActionState.ACTIVATION_FAILURE);

    final Stage running;
    final Stage success;
    final Stage failure;
    final ActionState actionRunning;
    final ActionState actionSuccess;
    final ActionState actionFailure;

    Phase(Stage running, Stage success, Stage failure, ActionState actionRunning,
          ActionState actionSuccess, ActionState actionFailure) {
        this.running = running;
        this.success = success;
        this.failure = failure;
        this.actionRunning = actionRunning;
        this.actionSuccess = actionSuccess;
        this.actionFailure = actionFailure;
    }
}

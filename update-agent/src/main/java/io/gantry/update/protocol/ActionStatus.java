package io.gantry.update.protocol;

import io.gantry.core.container.EnumNames;
import java.util.Optional;

/** The status of one action in a feedback message (reference/kanto-cua.md §3.4–3.7). */
public enum ActionStatus {
    IDENTIFIED,
    DOWNLOADING, DOWNLOAD_SUCCESS, DOWNLOAD_FAILURE,
    UPDATING, UPDATE_SUCCESS, UPDATE_FAILURE,
    ACTIVATING, ACTIVATION_SUCCESS, ACTIVATION_FAILURE,
    REMOVAL_SUCCESS, REMOVAL_FAILURE;

    public static Optional<ActionStatus> forName(String name) {
        return EnumNames.exact(ActionStatus.class, name);
    }
}

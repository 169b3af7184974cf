package io.gantry.update.operation;

import io.gantry.core.container.EnumNames;
import java.util.Optional;

/**
 * Where one action stands: identified, running or through a phase, or its old container removed.
 *
 * <p>Contract: the constant names are what the journal stores, so they never change; {@code protocol/} maps them to
 * the wire.
 */
public enum ActionState {
    IDENTIFIED,
    DOWNLOADING, DOWNLOAD_SUCCESS, DOWNLOAD_FAILURE,
    UPDATING, UPDATE_SUCCESS, UPDATE_FAILURE,
    ACTIVATING, ACTIVATION_SUCCESS, ACTIVATION_FAILURE,
    REMOVAL_SUCCESS, REMOVAL_FAILURE;

    /** The state a journal names, exactly as {@link #name()} wrote it. */
    public static Optional<ActionState> forName(String name) {
        return EnumNames.exact(ActionState.class, name);
    }
}

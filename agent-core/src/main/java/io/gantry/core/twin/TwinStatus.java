package io.gantry.core.twin;

import io.gantry.core.container.ContainerStatus;

/**
 * A container's status as the twin reports it: Kanto's vocabulary (reference/kanto-things.md §3.2), which unlike
 * Docker's tells a container stopped from outside ({@link #STOPPED}) from one whose process ended on its own
 * ({@link #EXITED}).
 */
public enum TwinStatus {
    CREATING, CREATED, RUNNING, STOPPED, PAUSED, EXITED, DEAD, UNKNOWN;

    /**
     * Maps the engine's status. {@code stoppedFromOutside} says that a signal was sent to the container since it last
     * started (Docker's {@code kill} event before {@code die}), which turns an exited container into a stopped one.
     */
    public static TwinStatus of(ContainerStatus status, boolean stoppedFromOutside) {
        return switch (status) {
            case CREATED -> CREATED;
            case RUNNING -> RUNNING;
            case PAUSED -> PAUSED;
            // Docker's "restarting" is the wait before the restart policy runs the process again; Kanto shows that
            // wait as EXITED.
            case RESTARTING -> EXITED;
            case EXITED -> stoppedFromOutside ? STOPPED : EXITED;
            case REMOVING, DEAD -> DEAD;
        };
    }

    /** True while a process exists, so the twin shows its pid. */
    public boolean hasProcess() {
        return this == RUNNING || this == PAUSED;
    }
}

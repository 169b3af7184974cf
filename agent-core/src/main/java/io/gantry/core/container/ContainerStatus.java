package io.gantry.core.container;

import java.util.Locale;
import java.util.Optional;

/** A container's run state as the engine reports it ({@code docker inspect .State.Status}). */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    public static Optional<ContainerStatus> forName(String name) {
        return EnumNames.wire(ContainerStatus.class, name);
    }

    /** Running or paused: a process exists. */
    public boolean isAlive() {
        return this == RUNNING || this == PAUSED || this == RESTARTING;
    }

    public String dockerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

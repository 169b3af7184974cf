package io.gantry.core.container;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What a container is doing now. {@code pid} is 0 unless a process exists. */
public record ContainerState(ContainerStatus status, long pid, long exitCode, String error,
                             Optional<Instant> startedAt, Optional<Instant> finishedAt, boolean oomKilled,
                             int restartCount, Health health) {

    public ContainerState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(health, "health");
    }

    public static ContainerState created() {
        return new ContainerState(ContainerStatus.CREATED, 0, 0, "", Optional.empty(), Optional.empty(), false, 0,
                Health.NONE);
    }

    public boolean isRunning() {
        return status == ContainerStatus.RUNNING;
    }
}

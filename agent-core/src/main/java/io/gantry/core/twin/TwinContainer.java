package io.gantry.core.twin;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A container as the twin shows it: what the engine reports, plus the status only the event history can tell. */
public record TwinContainer(Container container, TwinStatus status) {

    public TwinContainer {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(status, "status");
    }

    public static TwinContainer of(Container container, boolean stoppedFromOutside) {
        return new TwinContainer(container, TwinStatus.of(container.status(), stoppedFromOutside));
    }

    public ContainerId id() {
        return container.id();
    }

    /** The same container marked as gone: Kanto reports a removed container's last state with status DEAD. */
    public TwinContainer dead() {
        return new TwinContainer(container, TwinStatus.DEAD);
    }

    /** True when the twin's {@code status/state} would read the same (health and restart count are not in it). */
    boolean sameState(TwinContainer other) {
        return status == other.status && reported(container.state()).equals(reported(other.container.state()));
    }

    /**
     * True when of the twin's state only {@code finishedAt} differs from {@code other}'s, and by less than a second:
     * the same exit, timed once by the engine's record and once by its announcement (see {@link TwinMirror}). The
     * name and the configuration may differ; they are reported apart.
     */
    boolean sameStateButExitTime(TwinContainer other) {
        Optional<Instant> mine = container.state().finishedAt();
        Optional<Instant> theirs = other.container.state().finishedAt();
        if (mine.isEmpty() || theirs.isEmpty() || mine.equals(theirs)
                || Duration.between(mine.get(), theirs.get()).abs().compareTo(Duration.ofSeconds(1)) >= 0) {
            return false;
        }
        return withExitTime(theirs.get()).sameState(other);
    }

    /** The same container with its state's {@code finishedAt} set to {@code time}. */
    TwinContainer withExitTime(Instant time) {
        ContainerState s = container.state();
        return new TwinContainer(container.withState(new ContainerState(s.status(), s.pid(), s.exitCode(), s.error(),
                s.startedAt(), Optional.of(time), s.oomKilled(), s.restartCount(), s.health())), status);
    }

    boolean sameName(TwinContainer other) {
        return container.name().equals(other.container.name());
    }

    /** True when the twin's {@code status/config} would read the same; the name is reported apart from it. */
    boolean sameConfig(TwinContainer other) {
        return unnamed(container.spec()).equals(unnamed(other.container.spec()));
    }

    private static ContainerState reported(ContainerState s) {
        return new ContainerState(s.status(), s.pid(), s.exitCode(), s.error(), s.startedAt(), s.finishedAt(),
                s.oomKilled(), 0, Health.NONE);
    }

    private static ContainerSpec unnamed(ContainerSpec spec) {
        return spec.toBuilder().name(Optional.empty()).buildAsReported();
    }
}

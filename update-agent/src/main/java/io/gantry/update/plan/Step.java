package io.gantry.update.plan;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a plan: what to do with the container {@code name}. {@code desired} is absent only for
 * {@link StepKind#DESTROY}, {@code current} only for {@link StepKind#CREATE}; {@code version} is the component's
 * version, or for a destroy the version read from the current image.
 */
public record Step(StepKind kind, ContainerName name, String version, Optional<ContainerSpec> desired,
                   Optional<Container> current) {

    public Step {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(current, "current");
        if (desired.isEmpty() != (kind == StepKind.DESTROY)) {
            throw new IllegalArgumentException(kind + " step for " + name + (desired.isEmpty() ? " without" : " with")
                    + " a desired spec");
        }
        if (current.isEmpty() != (kind == StepKind.CREATE)) {
            throw new IllegalArgumentException(kind + " step for " + name + (current.isEmpty() ? " without" : " with")
                    + " a current container");
        }
    }
}

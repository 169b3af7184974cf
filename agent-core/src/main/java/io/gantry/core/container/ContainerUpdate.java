package io.gantry.core.container;

import java.util.Objects;
import java.util.Optional;

/** The changes {@code docker update} can make to a live container; an empty part is left as it is. */
public record ContainerUpdate(Optional<RestartPolicy> restartPolicy, Optional<Resources> resources) {

    public ContainerUpdate {
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(resources, "resources");
    }

    /** The update that makes a container's mutable settings those of {@code spec}. */
    public static ContainerUpdate to(ContainerSpec spec) {
        return new ContainerUpdate(Optional.of(spec.restartPolicy()), Optional.of(spec.resources().updatablePart()));
    }

    public boolean isEmpty() {
        return restartPolicy.isEmpty() && resources.isEmpty();
    }
}

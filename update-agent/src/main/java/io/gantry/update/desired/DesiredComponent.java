package io.gantry.update.desired;

import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import java.util.Objects;

/** One container of a desired state: its name (the component id), the component version and the validated spec. */
public record DesiredComponent(ContainerName name, String version, ContainerSpec spec) {

    public DesiredComponent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(java.util.Optional.of(name))) {
            throw new IllegalArgumentException("the spec of component " + name + " names another container");
        }
    }
}

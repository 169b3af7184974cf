package io.gantry.update.desired;

import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One container of a desired state: its name (the component id), the component version and the validated spec.
 *
 * <p>{@code labels} are Gantry labels ({@code io.gantry.*}) the container must carry, such as the descriptor file it
 * was deployed from; a container without them is replaced. {@code start} false leaves the run state alone: a new
 * container is created but not started, and an existing one is not started (descriptor files in
 * {@code createWithConfig} form with {@code "start": false}). Desired states always have no labels and start.
 */
public record DesiredComponent(ContainerName name, String version, ContainerSpec spec, Map<String, String> labels,
                               boolean start) {

    public DesiredComponent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(Optional.of(name))) {
            throw new IllegalArgumentException("the spec of component " + name + " names another container");
        }
        labels = Map.copyOf(labels);
        for (String key : labels.keySet()) {
            if (!key.startsWith(ContainerSpec.GANTRY_LABEL_PREFIX)) {
                throw new IllegalArgumentException("not a Gantry label: " + key);
            }
        }
    }

    /** A component of a desired state: no Gantry labels, started. */
    public DesiredComponent(ContainerName name, String version, ContainerSpec spec) {
        this(name, version, spec, Map.of(), true);
    }
}

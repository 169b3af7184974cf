package io.gantry.update.desired;

import io.gantry.core.container.ContainerName;
import java.util.List;
import java.util.Objects;

/** A baseline named in the desired state: a title and the desired containers it groups, in its order. */
public record Baseline(String title, List<ContainerName> members) {

    public Baseline {
        Objects.requireNonNull(title, "title");
        members = List.copyOf(members);
    }
}

package io.gantry.metrics.sampling;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.NetworkMode;
import java.util.Objects;

/**
 * A running container as the sampler needs it: the id, the name and image for Prometheus labels, the host pid of
 * its main process (0 when unknown) to find its cgroup and network namespace, and whether it uses the host's network
 * (then it has no network figures of its own).
 */
public record Target(ContainerId id, String name, String image, long pid, boolean hostNetwork) {

    public Target {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
    }

    public static Target from(Container c) {
        return new Target(c.id(), c.name().value(), c.image().text(), c.state().pid(),
                c.spec().network().kind() == NetworkMode.Kind.HOST);
    }
}

package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.Container;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.ditto.feature.Features;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;

/** The SoftwareUpdatable feature's JSON (reference/kanto-things.md §3.3). */
public final class SoftwareUpdatableFeature {

    public static final String MODULE_TYPE = "oci:container";
    public static final String INSTALLED_DEPENDENCIES = "status/installedDependencies";
    public static final String LAST_OPERATION = "status/lastOperation";
    public static final String LAST_FAILED_OPERATION = "status/lastFailedOperation";

    private SoftwareUpdatableFeature() {
    }

    /** The map of every container's dependency description, keys sorted as Go sorts map keys; empty for none. */
    public static Optional<ObjectNode> installedDependencies(Collection<Container> containers) {
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        TreeMap<String, DependencyDescription> sorted = new TreeMap<>();
        for (Container c : containers) {
            DependencyDescription d = DependencyDescription.of(c);
            sorted.put(d.key(), d);
        }
        ObjectNode map = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        sorted.forEach((key, d) -> map.set(key, d.toJson()));
        return Optional.of(map);
    }

    /** The whole feature; the operations are left out until there is one. */
    public static ObjectNode feature(Collection<Container> containers, Optional<OperationStatus> lastOperation,
                                     Optional<OperationStatus> lastFailedOperation) {
        ObjectNode feature = Features.definition(FeatureIds.SOFTWARE_UPDATABLE_DEFINITION);
        ObjectNode status = feature.putObject("properties").putObject("status");
        status.put("softwareModuleType", MODULE_TYPE);
        lastOperation.ifPresent(o -> status.set("lastOperation", o.toJson()));
        lastFailedOperation.ifPresent(o -> status.set("lastFailedOperation", o.toJson()));
        installedDependencies(containers).ifPresent(d -> status.set("installedDependencies", d));
        return feature;
    }
}

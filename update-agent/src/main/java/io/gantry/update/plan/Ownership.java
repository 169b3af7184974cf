package io.gantry.update.plan;

import io.gantry.core.container.Container;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may change a container (docs/descriptors.md, "Who owns a container"). A container Gantry created from a
 * descriptor file carries {@link #DESCRIPTOR_LABEL} naming that file and belongs to the descriptor deployment; every
 * other container Gantry created belongs to the update agent; containers Gantry did not create belong to neither.
 * Neither owner changes or removes the other's containers: a desired state leaves descriptor containers alone as it
 * leaves system containers alone, and a descriptor file never takes over a container the update agent made.
 */
public final class Ownership {

    /** Label on every container deployed from a descriptor file: the file's name ({@code web.json}). */
    public static final String DESCRIPTOR_LABEL = "io.gantry.descriptor";

    private Ownership() {
    }

    /** The descriptor file a managed container was deployed from, if it was. */
    public static Optional<String> descriptorFile(Container c) {
        return c.managed() ? c.gantryLabel(DESCRIPTOR_LABEL) : Optional.empty();
    }

    /**
     * The containers a desired state leaves alone, by name, with the warning given when it names one: the system
     * containers, and every container deployed from a descriptor file (including one under a temporary name while the
     * deployment replaces it).
     */
    public static Map<String, String> leftAloneByDesiredStates(List<Container> current, Set<String> systemContainers) {
        Map<String, String> leftAlone = new LinkedHashMap<>();
        for (String name : new TreeSet<>(systemContainers)) {
            leftAlone.put(name, "system container " + name + " is not changed by desired states");
        }
        for (Container c : current) {
            descriptorFile(c).ifPresent(file -> leftAlone.putIfAbsent(c.name().value(), "container " + c.name()
                    + " is deployed from descriptor file " + file + " and is not changed by desired states"));
        }
        return leftAlone;
    }
}

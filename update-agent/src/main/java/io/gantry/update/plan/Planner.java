package io.gantry.update.plan;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerSpec;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.desired.ImageVersions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Works out what to do to reach a desired state: a pure function of the desired state, the current containers and
 * the names of the system containers (reference/kanto-cua.md §3.2–3.3).
 *
 * <p>The comparison is {@link ContainerSpec#equals}: specs are normalised when built, so reordered env entries are
 * equal and reordered {@code cmd} entries are not, as in Kanto. A spec whose {@link ContainerSpec#immutablePart()}
 * differs needs a new container (RECREATE); one that differs only in what {@code docker update} can change (restart
 * policy, memory, CPUs) is updated in place (UPDATE); an equal one is only checked (CHECK). Unlike Kanto, values are
 * compared by meaning rather than as raw strings ({@code 200m} equals {@code 200M}, {@code nginx} equals
 * {@code docker.io/library/nginx:latest}).
 *
 * <p>Only containers Gantry created ({@link Container#managed()}) are ever changed or destroyed: system containers
 * and containers made by hand are left alone, and a desired container whose name is held by an unmanaged container
 * is an identification failure rather than a takeover. Callers name further containers to leave alone
 * ({@link Ownership}): the update agent those deployed from descriptor files.
 *
 * <p>A desired component may require Gantry labels ({@link DesiredComponent#labels()}, the descriptor file it comes
 * from); a container that lacks them is replaced, because labels cannot be changed in place.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * Plans the steps to reach {@code desired}.
     *
     * @param systemContainers names that are never created, changed or destroyed
     * @throws IdentificationException when a desired name is held by a container Gantry does not manage
     */
    public static Plan plan(DesiredState desired, List<Container> current, Set<String> systemContainers) {
        return plan(desired, current, Ownership.leftAloneByDesiredStates(List.of(), systemContainers));
    }

    /**
     * Plans the steps to reach {@code desired}, leaving alone the containers named in {@code leftAlone}: they are
     * never created, changed or destroyed, and a desired component that names one gets its warning instead.
     *
     * @throws IdentificationException when a desired name is held by a container Gantry does not manage
     */
    public static Plan plan(DesiredState desired, List<Container> current, Map<String, String> leftAlone) {
        Map<String, Container> byName = new TreeMap<>();
        for (Container c : current) {
            byName.put(c.name().value(), c);
        }
        List<Step> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (DesiredComponent component : desired.components()) {
            String name = component.name().value();
            Container existing = byName.remove(name);
            if (leftAlone.containsKey(name)) {
                warnings.add(leftAlone.get(name));
                continue;
            }
            if (existing != null && !existing.managed()) {
                throw new IdentificationException("container " + name + " exists but was not created by Gantry, so"
                        + " a desired state may not replace it: remove or rename it, or give the component another"
                        + " id", null);
            }
            Optional<ContainerSpec> spec = Optional.of(component.spec());
            StepKind kind = existing != null && !hasLabels(existing, component.labels()) ? StepKind.RECREATE
                    : kind(component.spec(), existing);
            steps.add(new Step(kind, component.name(), component.version(), spec, Optional.ofNullable(existing)));
        }
        byName.values().stream()
                .filter(c -> c.managed() && !leftAlone.containsKey(c.name().value()))
                .sorted(Comparator.comparing(Container::name))
                .forEach(c -> steps.add(new Step(StepKind.DESTROY, c.name(), ImageVersions.of(c.image().text()),
                        Optional.empty(), Optional.of(c))));
        return new Plan(steps, warnings);
    }

    private static boolean hasLabels(Container existing, Map<String, String> labels) {
        return labels.entrySet().stream()
                .allMatch(l -> existing.gantryLabel(l.getKey()).filter(l.getValue()::equals).isPresent());
    }

    /** Kanto's DetermineUpdateAction (§3.3), on normalised specs. */
    static StepKind kind(ContainerSpec desired, Container existing) {
        if (existing == null) {
            return StepKind.CREATE;
        }
        if (!desired.immutablePart().equals(existing.spec().immutablePart())) {
            return StepKind.RECREATE;
        }
        return desired.equals(existing.spec()) ? StepKind.CHECK : StepKind.UPDATE;
    }
}

package io.gantry.update.plan;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ExtraHost;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order in which containers that reach each other through extra hosts ({@code name:container_<x>}) start: Docker
 * writes a container's {@code /etc/hosts} when the container is created, so the container {@code x} names must run by
 * then. {@code x} is another container's host name, as in Kanto (reference/kanto-cua.md §2.3, so Leda's
 * {@code container_databroker-host} names the container {@code databroker}), or its name.
 *
 * <p>Pure functions.
 */
public final class StartOrder {

    private StartOrder() {
    }

    /** Whether a spec's {@code container_<x>} reference names the container of {@code other}. */
    private static boolean names(String reference, ContainerSpec other) {
        return reference.equals(other.hostname()) || other.name().map(n -> n.value().equals(reference)).orElse(false);
    }

    /**
     * Sorts {@code items} so that each comes after the items its references name; items that name none keep their
     * order. References to containers outside {@code items} are not this order's concern.
     *
     * @throws IllegalArgumentException naming the cycle when references go round
     */
    public static <T> List<T> sort(List<T> items, Function<T, Optional<ContainerSpec>> specOf) {
        return order(items, specOf, false);
    }

    /** As {@link #sort}, but the items of a cycle, and those that need them, come last in their order. */
    public static <T> List<T> sortCyclesLast(List<T> items, Function<T, Optional<ContainerSpec>> specOf) {
        return order(items, specOf, true);
    }

    private static <T> List<T> order(List<T> items, Function<T, Optional<ContainerSpec>> specOf, boolean cyclesLast) {
        Map<T, List<T>> needs = new LinkedHashMap<>();
        for (T item : items) {
            List<T> named = new ArrayList<>();
            specOf.apply(item).ifPresent(spec -> references(spec).forEach(reference -> items.stream()
                    .filter(other -> specOf.apply(other).map(o -> names(reference, o)).orElse(false))
                    .findFirst().ifPresent(named::add)));
            needs.put(item, named);
        }
        List<T> sorted = new ArrayList<>();
        while (sorted.size() < items.size()) {
            Optional<T> next = items.stream().filter(i -> !sorted.contains(i))
                    .filter(i -> sorted.containsAll(needs.get(i))).findFirst();
            if (next.isEmpty()) {
                List<T> left = items.stream().filter(i -> !sorted.contains(i)).toList();
                if (cyclesLast) {
                    sorted.addAll(left);
                    break;
                }
                throw new IllegalArgumentException(cycle(left, needs, specOf));
            }
            sorted.add(next.get());
        }
        return sorted;
    }

    /**
     * Checks that every {@code container_<x>} reference of {@code desired} names a container of the desired state or
     * one on the engine ({@code current}), and that the references of the desired state do not go round.
     *
     * @throws IdentificationException naming the component and the reference, or the cycle
     */
    public static void check(DesiredState desired, List<Container> current) {
        for (DesiredComponent component : desired.components()) {
            for (ExtraHost host : component.spec().extraHosts()) {
                Optional<String> reference = host.containerReference();
                if (reference.isEmpty()) {
                    continue;
                }
                boolean found = desired.components().stream().anyMatch(c -> names(reference.get(), c.spec()))
                        || current.stream().anyMatch(c -> names(reference.get(), c.spec())
                        || c.name().value().equals(reference.get()));
                if (!found) {
                    throw new IdentificationException("container " + component.name() + ": extra host " + host
                            + " names no container: no container of this desired state or on the engine has the host"
                            + " name or name " + reference.get(), null);
                }
            }
        }
        try {
            sort(desired.components(), c -> Optional.of(c.spec()));
        } catch (IllegalArgumentException e) {
            throw new IdentificationException(e.getMessage(), e);
        }
    }

    private static List<String> references(ContainerSpec spec) {
        return spec.extraHosts().stream().flatMap(h -> h.containerReference().stream()).toList();
    }

    private static <T> String cycle(List<T> left, Map<T, List<T>> needs, Function<T, Optional<ContainerSpec>> specOf) {
        List<T> path = new ArrayList<>();
        T at = left.get(0);
        // Every item left needs another item left, so the walk must come back to one it passed.
        while (!path.contains(at)) {
            path.add(at);
            at = needs.get(at).stream().filter(left::contains).findFirst().orElseThrow();
        }
        List<T> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        loop.add(at);
        List<String> names = loop.stream().map(i -> specOf.apply(i).flatMap(ContainerSpec::name)
                .map(Object::toString).orElse("?")).toList();
        return "the extra hosts of containers " + String.join(" → ", names) + " name each other in a cycle, so no"
                + " container can start first (a container_<host name> address is resolved when its container is"
                + " created)";
    }
}

package io.gantry.update.desired;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated desired state of the containers domain.
 *
 * <p>{@code systemContainers} is present when the domain config sets {@code systemContainers}; it then replaces the
 * configured list for this desired state only (reference/kanto-cua.md §2.1 rule 5). {@code warnings} name what was
 * accepted but ignored (unknown keys, …); they go into the {@code IDENTIFIED} feedback message.
 */
public record DesiredState(List<DesiredComponent> components, List<Baseline> baselines,
                           Optional<List<String>> systemContainers, List<String> warnings) {

    public DesiredState {
        components = List.copyOf(components);
        baselines = List.copyOf(baselines);
        Objects.requireNonNull(systemContainers, "systemContainers");
        systemContainers = systemContainers.map(List::copyOf);
        warnings = List.copyOf(warnings);
        Set<String> names = new HashSet<>();
        for (DesiredComponent c : components) {
            if (!names.add(c.name().value())) {
                throw new IllegalArgumentException("component " + c.name() + " is defined twice");
            }
        }
    }

    /** The names never changed by this desired state: its own list if it has one, else {@code configured}. */
    public Set<String> effectiveSystemContainers(List<String> configured) {
        Set<String> names = new HashSet<>(systemContainers.orElse(configured));
        names.remove("");
        return names;
    }
}

package io.gantry.update.protocol;

import io.gantry.core.container.ContainerName;
import io.gantry.update.desired.Baseline;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a desired-state payload into a validated {@link DesiredState}, with Kanto's identification rules (§2.1). */
public final class DesiredStateMapper {

    /** The only domain config key Kanto reads (§2.1 rule 5). */
    public static final String SYSTEM_CONTAINERS = "systemContainers";

    private DesiredStateMapper() {
    }

    /** Validates a desired state for the domain of {@code topics}, dropping with a warning what Kanto drops. */
    public static DesiredState from(WireDesiredState wire, UpdateTopics topics) {
        return from(wire, topics, false);
    }

    /**
     * Validates a desired state for the domain of {@code topics}.
     *
     * @param strict whether a value Kanto drops or defaults fails the desired state instead of giving a warning
     * @throws IdentificationException with the {@code IDENTIFICATION_FAILED} message
     */
    public static DesiredState from(WireDesiredState wire, UpdateTopics topics, boolean strict) {
        if (wire.domains().size() != 1) {
            throw failure("one domain expected in desired state specification, but got " + wire.domains().size(),
                    null);
        }
        WireDomain domain = wire.domains().get(0);
        if (!domain.id().equals(topics.domain())) {
            throw failure("domain id mismatch - expecting " + topics.domain() + ", received " + domain.id(), null);
        }
        List<String> warnings = new ArrayList<>();
        List<DesiredComponent> components = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (WireComponent component : domain.components()) {
            String prefix = "cannot convert desired state components to container configurations:"
                    + " invalid configuration for container " + component.id() + ": ";
            try {
                DesiredComponent desired = ComponentMapper.toComponent(component, strict, warnings);
                if (!names.add(desired.name().value())) {
                    throw failure(prefix + "another component has the same id", null);
                }
                components.add(desired);
            } catch (IllegalArgumentException e) {
                throw failure(prefix + e.getMessage(), e);
            }
        }
        List<Baseline> baselines = baselines(wire.baselines(), components, topics);
        Optional<List<String>> systemContainers = Optional.empty();
        for (WireKeyValue pair : domain.config()) {
            if (pair.key().equals(SYSTEM_CONTAINERS)) {
                systemContainers = Optional.of(Arrays.stream(pair.value().split(",", -1)).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList());
            } else {
                warnings.add("unknown domain config key " + pair.key() + " is ignored");
            }
        }
        return new DesiredState(components, baselines, systemContainers, warnings);
    }

    /**
     * Resolves each baseline's {@code <domain>:<name>} entries; entries of other domains are skipped, and a desired
     * container belongs to at most one baseline (§2.1 rule 4).
     */
    private static List<Baseline> baselines(List<WireBaseline> wire, List<DesiredComponent> components,
                                            UpdateTopics topics) {
        String prefix = topics.domain() + ":";
        Map<String, ContainerName> unclaimed = new LinkedHashMap<>();
        components.forEach(c -> unclaimed.put(c.name().value(), c.name()));
        Set<String> titles = new HashSet<>();
        List<Baseline> result = new ArrayList<>();
        for (WireBaseline baseline : wire) {
            String problem = "cannot process desired state baselines with containers: problem with baseline "
                    + baseline.title() + ": ";
            if (!titles.add(baseline.title())) {
                throw failure(problem + "another baseline has the same title", null);
            }
            List<ContainerName> members = new ArrayList<>();
            for (String entry : baseline.components()) {
                if (!entry.startsWith(prefix)) {
                    continue;
                }
                ContainerName member = unclaimed.remove(entry.substring(prefix.length()));
                if (member == null) {
                    throw failure(problem + "cannot find container component " + entry, null);
                }
                members.add(member);
            }
            result.add(new Baseline(baseline.title(), members));
        }
        return result;
    }

    private static IdentificationException failure(String message, Throwable cause) {
        return new IdentificationException(message, cause);
    }
}

package io.gantry.update.deployment;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerName;
import io.gantry.update.deployment.DescriptorFile.Descriptor;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.plan.Ownership;
import io.gantry.update.desired.ImageVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which container each descriptor file deploys, and which containers the deployment may change: a pure function of
 * the files and the containers on the engine (docs/descriptors.md, "Who owns a container").
 *
 * <ul>
 * <li>{@code desired}: one component per valid enabled file (a disabled one claims its name but wants no
 * container, so its container is removed), carrying the label {@link Ownership#DESCRIPTOR_LABEL} with the
 * file's name. When two files name the same container, the file the container was deployed from keeps it, else the
 * first file by name; the other is reported. A file that has just disappeared (still counted in case it is being
 * written again) gives way, without a report, to a present file that names its container: a file renamed.</li>
 * <li>{@code owned}: the containers the planner may change or remove, those deployed from descriptor files, except
 * the containers of files that cannot be used (invalid, unreadable), which are left exactly as they are. An owned
 * container that no valid file claims is removed.</li>
 * <li>{@code conflicts}: files not deployed because their container's name is held by a container that is not
 * theirs: one Gantry did not create, one a desired state created, or one of a file that cannot be used.</li>
 * </ul>
 */
record Claims(DesiredState desired, List<Container> owned, Map<ContainerName, String> fileOf, List<String> conflicts) {

    Claims {
        Objects.requireNonNull(desired, "desired");
        owned = List.copyOf(owned);
        fileOf = Map.copyOf(fileOf);
        conflicts = List.copyOf(conflicts);
    }

    static Claims of(Map<String, DescriptorFile> files, List<Container> current) {
        return of(files, Set.of(), current);
    }

    static Claims of(Snapshot snapshot, List<Container> current) {
        return of(snapshot.files(), snapshot.leaving(), current);
    }

    private static Claims of(Map<String, DescriptorFile> files, Set<String> leaving, List<Container> current) {
        Set<String> unusable = files.values().stream().filter(f -> !f.valid()).map(DescriptorFile::name)
                .collect(Collectors.toSet());
        Map<String, Container> byName = new HashMap<>();
        List<Container> owned = new ArrayList<>();
        for (Container c : current) {
            byName.put(c.name().value(), c);
            Optional<String> file = Ownership.descriptorFile(c);
            if (file.isPresent() && !unusable.contains(file.get())) {
                owned.add(c);
            }
        }
        Map<ContainerName, List<DescriptorFile>> candidates = new TreeMap<>();
        new TreeMap<>(files).values().stream().filter(DescriptorFile::valid).forEach(f -> candidates
                .computeIfAbsent(f.descriptor().orElseThrow().container(), n -> new ArrayList<>()).add(f));
        List<DesiredComponent> components = new ArrayList<>();
        Map<ContainerName, String> fileOf = new LinkedHashMap<>();
        List<String> conflicts = new ArrayList<>();
        candidates.forEach((name, claimants) -> {
            Container existing = byName.get(name.value());
            Optional<String> deployedFrom = Optional.ofNullable(existing).flatMap(Ownership::descriptorFile);
            List<DescriptorFile> staying = claimants.stream().filter(f -> !leaving.contains(f.name())).toList();
            List<DescriptorFile> preferred = staying.isEmpty() ? claimants : staying;
            DescriptorFile winner = preferred.stream().filter(f -> deployedFrom.filter(f.name()::equals).isPresent())
                    .findFirst().orElse(preferred.get(0));
            staying.stream().filter(f -> f != winner).forEach(f -> conflicts.add(f.name() + ": container " + name
                    + " is already described by " + winner.name() + "; " + f.name() + " is not deployed"));
            Descriptor d = winner.descriptor().orElseThrow();
            if (!d.enabled()) {
                // Kura's "Enabled = false": the definition stays in the file, its container (owned) is removed.
                return;
            }
            Optional<String> refusal = refusal(winner.name(), existing, unusable);
            if (refusal.isPresent()) {
                conflicts.add(winner.name() + ": container " + name + " " + refusal.get() + "; it is left alone and "
                        + winner.name() + " is not deployed");
                return;
            }
            components.add(new DesiredComponent(name, ImageVersions.of(d.spec().image().text()), d.spec(),
                    Map.of(Ownership.DESCRIPTOR_LABEL, winner.name()), d.start()));
            fileOf.put(name, winner.name());
        });
        DesiredState desired = new DesiredState(components, List.of(), Optional.empty(), List.of());
        return new Claims(desired, owned, fileOf, conflicts);
    }

    /** Why the container holding a file's name is not the file's to change, or empty when it is (or none exists). */
    private static Optional<String> refusal(String file, Container existing, Set<String> unusable) {
        if (existing == null) {
            return Optional.empty();
        }
        if (!existing.managed()) {
            return Optional.of("exists but was not created by Gantry");
        }
        Optional<String> deployedFrom = Ownership.descriptorFile(existing);
        if (deployedFrom.isEmpty()) {
            return Optional.of("was created by a desired state of the update agent");
        }
        if (!deployedFrom.get().equals(file) && unusable.contains(deployedFrom.get())) {
            return Optional.of("belongs to descriptor file " + deployedFrom.get() + ", which cannot be used");
        }
        return Optional.empty();
    }
}

package io.gantry.update.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ImageRef;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ownership rule as the planner applies it: who is left alone, and labels that force a replacement. */
class OwnershipTest {

    private static final ContainerSpec WEB = ContainerSpec.builder(ImageRef.parse("registry.local/web:1"))
            .name(new ContainerName("web")).build();

    private static Container container(String name, boolean managed, Map<String, String> labels) {
        ContainerId id = new ContainerId(String.format("%064x", name.hashCode() & 0xffff));
        return new Container(id, new ContainerName(name), WEB.image(), "sha256:" + id, WEB.withName(new ContainerName(
                name)), ContainerState.created(), Instant.EPOCH, managed, labels);
    }

    private static DesiredState desired(DesiredComponent... components) {
        return new DesiredState(List.of(components), List.of(), Optional.empty(), List.of());
    }

    @Test
    void desiredStates_leaveSystemAndDescriptorContainersAlone_byName() {
        Map<String, String> leftAlone = Ownership.leftAloneByDesiredStates(List.of(
                container("connector", true, Map.of(Ownership.DESCRIPTOR_LABEL, "connector.json")),
                container("web", true, Map.of()),
                container("faked", false, Map.of(Ownership.DESCRIPTOR_LABEL, "faked.json"))), Set.of("sua"));

        assertThat(leftAlone).containsOnlyKeys("sua", "connector");
        assertThat(leftAlone.get("connector"))
                .isEqualTo("container connector is deployed from descriptor file connector.json and is not changed by"
                        + " desired states");
    }

    @Test
    void plan_leftAloneContainers_areNeitherChangedNorDestroyed() {
        Container connector = container("connector", true, Map.of(Ownership.DESCRIPTOR_LABEL, "connector.json"));
        Plan plan = Planner.plan(desired(new DesiredComponent(new ContainerName("connector"), "1",
                WEB.withName(new ContainerName("connector")))), List.of(connector),
                Ownership.leftAloneByDesiredStates(List.of(connector), Set.of()));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.warnings()).hasSize(1);
    }

    @Test
    void plan_aContainerWithoutTheRequiredLabels_isReplaced_oneWithThemIsChecked() {
        DesiredComponent fromFile = new DesiredComponent(new ContainerName("web"), "1", WEB,
                Map.of(Ownership.DESCRIPTOR_LABEL, "web.json"), true);

        Plan relabel = Planner.plan(desired(fromFile), List.of(container("web", true,
                Map.of(Ownership.DESCRIPTOR_LABEL, "old.json"))), Map.of());
        Plan same = Planner.plan(desired(fromFile), List.of(container("web", true,
                Map.of(Ownership.DESCRIPTOR_LABEL, "web.json", "io.gantry.update.operation", "x"))), Map.of());

        assertThat(relabel.steps()).extracting(Step::kind).containsExactly(StepKind.RECREATE);
        assertThat(same.steps()).extracting(Step::kind).containsExactly(StepKind.CHECK);
    }
}

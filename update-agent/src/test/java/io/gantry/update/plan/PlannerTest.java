package io.gantry.update.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.protocol.DesiredStateMapper;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WireComponent;
import io.gantry.update.protocol.WireDesiredState;
import io.gantry.update.protocol.WireDomain;
import io.gantry.update.protocol.WireKeyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner's decision for one container (reference/kanto-cua.md §3.3 and §7.5–7.12, 7.25, 7.35). */
class PlannerTest {

    private static final UpdateTopics TOPICS = UpdateTopics.of("containers");
    private static int ids;

    private static DesiredState desired(WireComponent... components) {
        return DesiredStateMapper.from(new WireDesiredState(List.of(), List.of(new WireDomain("containers", List.of(),
                List.of(components)))), TOPICS);
    }

    private static WireComponent component(String name, String version, String... keyValues) {
        List<WireKeyValue> config = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.add(new WireKeyValue(keyValues[i], keyValues[i + 1]));
        }
        return new WireComponent(name, version, config);
    }

    private static ContainerSpec spec(String... keyValues) {
        return desired(component("web", "1", keyValues)).components().get(0).spec();
    }

    /** A container as the engine reports it, created from {@code spec}. */
    private static Container container(ContainerSpec spec, boolean managed) {
        ContainerId id = new ContainerId(String.format("%064x", ++ids));
        return new Container(id, spec.name().orElseThrow(), spec.image(), "sha256:" + id, spec,
                ContainerState.created(), Instant.EPOCH, managed, Map.of());
    }

    private static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static Stream<Arguments> decisions() {
        String[] base = {"image", "registry.local/web:1"};
        return Stream.of(
                Arguments.of("same spec", base, base, StepKind.CHECK),
                Arguments.of("§7.9 env reordered", with(base, "env", "A=1", "env", "B=2"),
                        with(base, "env", "B=2", "env", "A=1"), StepKind.CHECK),
                Arguments.of("§7.9 cmd reordered", with(base, "cmd", "a", "cmd", "b"), with(base, "cmd", "b", "cmd", "a"),
                        StepKind.RECREATE),
                Arguments.of("§7.9 env added", base, with(base, "env", "A=1"), StepKind.RECREATE),
                Arguments.of("§7.8 image changed", base, new String[] {"image", "registry.local/web:2"},
                        StepKind.RECREATE),
                Arguments.of("image spelt differently, same image (differs: Kanto compares strings)",
                        new String[] {"image", "nginx"}, new String[] {"image", "docker.io/library/nginx:latest"},
                        StepKind.CHECK),
                Arguments.of("§7.10 restart policy", base, with(base, "restartPolicy", "always"), StepKind.UPDATE),
                Arguments.of("§7.10 memory", with(base, "memory", "100m"), with(base, "memory", "200m"),
                        StepKind.UPDATE),
                Arguments.of("§7.10 memory reservation", with(base, "memory", "100m"),
                        with(base, "memory", "100m", "memoryReservation", "50m"), StepKind.UPDATE),
                Arguments.of("§7.10 memory swap", with(base, "memory", "100m"),
                        with(base, "memory", "100m", "memorySwap", "300m"), StepKind.UPDATE),
                Arguments.of("cpus", base, with(base, "cpus", "0.5"), StepKind.UPDATE),
                Arguments.of("gpus cannot be updated in place", base, with(base, "gpus", "1"), StepKind.RECREATE),
                Arguments.of("§7.25 memory without swap, applied again (differs: CHECK at once)",
                        with(base, "memory", "200M"), with(base, "memory", "200M"), StepKind.CHECK),
                Arguments.of("memory 200m equals 200M (differs: Kanto compares strings)", with(base, "memory", "200m"),
                        with(base, "memory", "200M"), StepKind.CHECK),
                Arguments.of("§7.11 port", base, with(base, "port", "80:80"), StepKind.RECREATE),
                Arguments.of("§7.11 mount", base, with(base, "mount", "/a:/b"), StepKind.RECREATE),
                Arguments.of("§7.11 device", base, with(base, "device", "/dev/a:/dev/b"), StepKind.RECREATE),
                Arguments.of("§7.11 host", base, with(base, "host", "db:10.0.0.2"), StepKind.RECREATE),
                Arguments.of("§7.11 privileged", base, with(base, "privileged", "true"), StepKind.RECREATE),
                Arguments.of("§7.11 network", base, with(base, "network", "host"), StepKind.RECREATE),
                Arguments.of("§7.11 terminal", base, with(base, "terminal", "true"), StepKind.RECREATE),
                Arguments.of("§7.11 interactive", base, with(base, "interactive", "true"), StepKind.RECREATE),
                Arguments.of("§7.11 logDriver", base, with(base, "logDriver", "none"), StepKind.RECREATE),
                Arguments.of("§7.11 logMaxFiles", base, with(base, "logMaxFiles", "3"), StepKind.RECREATE),
                Arguments.of("§7.11 logMaxSize", base, with(base, "logMaxSize", "10m"), StepKind.RECREATE),
                Arguments.of("§7.11 logMode", base, with(base, "logMode", "non-blocking"), StepKind.RECREATE),
                Arguments.of("§7.11 logMaxBufferSize, non-blocking", with(base, "logMode", "non-blocking"),
                        with(base, "logMode", "non-blocking", "logMaxBufferSize", "2m"), StepKind.RECREATE),
                Arguments.of("§7.12 logMaxBufferSize, blocking", base, with(base, "logMaxBufferSize", "2m"),
                        StepKind.CHECK),
                Arguments.of("logPath is ignored (differs: Docker has no per-container log path)", base,
                        with(base, "logPath", "/var/log/web"), StepKind.CHECK),
                Arguments.of("port order", with(base, "port", "80:80", "port", "443:443"),
                        with(base, "port", "443:443", "port", "80:80"), StepKind.CHECK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void plan_managedContainer_getsTheKantoAction(String why, String[] current, String[] wanted, StepKind expected) {
        Container existing = container(spec(current), true);
        Plan plan = Planner.plan(desired(component("web", "1", wanted)), List.of(existing), Set.of());

        assertThat(plan.steps()).singleElement().satisfies(step -> {
            assertThat(step.kind()).isEqualTo(expected);
            assertThat(step.current()).contains(existing);
        });
    }

    @Test
    void plan_s7_6_versionChangeOnly_isACheck_reportingTheNewVersion() {
        Container existing = container(spec("image", "registry.local/web:1"), true);
        Plan plan = Planner.plan(desired(component("web", "2", "image", "registry.local/web:1")), List.of(existing),
                Set.of());
        assertThat(plan.steps()).singleElement().satisfies(step -> {
            assertThat(step.kind()).isEqualTo(StepKind.CHECK);
            assertThat(step.version()).isEqualTo("2");
        });
    }

    @Test
    void plan_newComponent_isCreated_andUndesiredManagedContainers_areDestroyedByName() {
        Container zeta = container(desired(component("zeta", "1", "image", "registry.local/zeta:2.1"))
                .components().get(0).spec(), true);
        Container alpha = container(desired(component("alpha", "1", "image", "alpine")).components().get(0).spec(),
                true);
        Plan plan = Planner.plan(desired(component("web", "1", "image", "registry.local/web:1")),
                List.of(zeta, alpha), Set.of());

        assertThat(plan.steps()).extracting(Step::kind, s -> s.name().value(), Step::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple(StepKind.CREATE, "web", "1"),
                org.assertj.core.groups.Tuple.tuple(StepKind.DESTROY, "alpha", "n/a"),
                org.assertj.core.groups.Tuple.tuple(StepKind.DESTROY, "zeta", "2.1"));
    }

    @Test
    void plan_s7_35_systemContainers_areNeverChangedOrDestroyed() {
        Container sua = container(desired(component("sua", "1", "image", "registry.local/sua:1")).components().get(0)
                .spec(), true);
        Container connector = container(desired(component("cloudconnector", "1", "image", "registry.local/cc:1"))
                .components().get(0).spec(), true);
        Plan plan = Planner.plan(desired(component("sua", "2", "image", "registry.local/sua:2")),
                List.of(sua, connector), Set.of("sua", "cloudconnector"));

        assertThat(plan.steps()).isEmpty();
        assertThat(plan.warnings()).containsExactly("system container sua is not changed by desired states");
    }

    @Test
    void plan_unmanagedContainers_areNeverDestroyed() {
        Container manual = container(desired(component("manual", "1", "image", "registry.local/m:1")).components()
                .get(0).spec(), false);
        assertThat(Planner.plan(desired(), List.of(manual), Set.of()).steps()).isEmpty();
    }

    @Test
    void plan_desiredNameHeldByAnUnmanagedContainer_isAnIdentificationFailure() {
        Container manual = container(spec("image", "registry.local/web:1"), false);
        assertThatThrownBy(() -> Planner.plan(desired(component("web", "1", "image", "registry.local/web:1")),
                List.of(manual), Set.of())).isInstanceOf(IdentificationException.class)
                .hasMessage("container web exists but was not created by Gantry, so a desired state may not replace"
                        + " it: remove or rename it, or give the component another id");
    }

    @Test
    void plan_keepsDesiredStateOrder() {
        DesiredState desired = desired(component("b", "1", "image", "b"), component("a", "1", "image", "a"),
                component("c", "1", "image", "c"));
        assertThat(Planner.plan(desired, List.of(), Set.of()).steps()).extracting(s -> s.name().value())
                .containsExactly("b", "a", "c");
        assertThat(desired.components()).extracting(DesiredComponent::version).containsOnly("1");
    }
}

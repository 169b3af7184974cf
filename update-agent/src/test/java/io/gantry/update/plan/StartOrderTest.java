package io.gantry.update.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ImageRef;
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
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StartOrderTest {

    /**
     * Each component as {@code name[>host,host…]}: the hosts are {@code container_<x>} references. Leda names its
     * peers by Kanto's default host name ({@code databroker-host}); Gantry's own form names the container.
     */
    private static DesiredState desired(String components) {
        List<WireComponent> wire = new ArrayList<>();
        for (String c : components.split(" ")) {
            String[] parts = c.split(">");
            List<WireKeyValue> config = new ArrayList<>(List.of(new WireKeyValue("image", "registry.local/" + parts[0]
                    + ":1")));
            if (parts.length > 1) {
                Arrays.stream(parts[1].split(",")).forEach(x -> config.add(new WireKeyValue("host",
                        x + "-peer:container_" + x)));
            }
            wire.add(new WireComponent(parts[0], "1", config));
        }
        return DesiredStateMapper.from(new WireDesiredState(List.of(), List.of(new WireDomain("containers", List.of(),
                wire))), UpdateTopics.of("containers"));
    }

    private static List<String> order(DesiredState desired) {
        return StartOrder.sort(desired.components(), c -> Optional.of(c.spec())).stream()
                .map(c -> c.name().value()).toList();
    }

    @ParameterizedTest(name = "{0} starts as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a b c                                          | a b c
            seat>databroker-host databroker feeder>databroker-host | databroker seat feeder
            a>b b>c c                                      | c b a
            a>b,c b c>b                                    | b c a
            a>b-host b                                     | b a
            a>x-host                                       | a
            """)
    void sort_namedContainersFirst_otherwiseTheGivenOrder(String components, String expected) {
        assertThat(String.join(" ", order(desired(components)))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} starts as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a>b b>a c          | c a b
            d>c a>b b>a c      | c d a b
            """)
    void sortCyclesLast_putsTheCycleAfterWhatCanStart(String components, String expected) {
        assertThat(StartOrder.sortCyclesLast(desired(components).components(), c -> Optional.of(c.spec())).stream()
                .map(c -> c.name().value()).toList()).containsExactly(expected.split(" "));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a>b b>a         | the extra hosts of containers a → b → a name each other in a cycle
            a>a             | the extra hosts of containers a → a name each other in a cycle
            x a>b b>c c>a-host | the extra hosts of containers a → b → c → a name each other in a cycle
            """)
    void check_cycle_failsIdentificationNamingIt(String components, String message) {
        assertThatThrownBy(() -> StartOrder.check(desired(components), List.of()))
                .isInstanceOf(IdentificationException.class).hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a>nowhere-host | container a: extra host nowhere-host-peer:container_nowhere-host names no container: no container of this desired state or on the engine has the host name or name nowhere-host
            a b>c          | container b: extra host c-peer:container_c names no container: no container of this desired state or on the engine has the host name or name c
            """)
    void check_referenceToNoContainer_failsIdentificationNamingIt(String components, String message) {
        assertThatThrownBy(() -> StartOrder.check(desired(components), List.of()))
                .isInstanceOf(IdentificationException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"db-host", "db", "custom"})
    void check_referenceToAContainerOnTheEngine_byHostNameOrName_isAccepted(String reference) {
        ContainerSpec db = ContainerSpec.builder(ImageRef.parse("registry.local/db:1")).name(new ContainerName("db"))
                .build();
        ContainerSpec custom = ContainerSpec.builder(ImageRef.parse("registry.local/x:1")).name(new ContainerName("x"))
                .hostname("custom").build();
        List<Container> current = List.of(container(db), container(custom));

        assertThatCode(() -> StartOrder.check(desired("a>" + reference), current)).doesNotThrowAnyException();
    }

    private static Container container(ContainerSpec spec) {
        return new Container(new ContainerId(String.format("%064x", spec.name().orElseThrow().value().length())),
                spec.name().orElseThrow(), spec.image(), "sha256:1", spec, ContainerState.created(), Instant.EPOCH,
                false, Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"a>b-host b", "a>b b", "a>b b>c c"})
    void check_referencesInsideTheDesiredState_areAccepted(String components) {
        assertThatCode(() -> StartOrder.check(desired(components), List.of())).doesNotThrowAnyException();
    }
}

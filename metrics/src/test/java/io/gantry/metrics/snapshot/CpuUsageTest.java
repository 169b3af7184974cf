package io.gantry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuUsageTest {

    private static ContainerStats cpu(long containerNanos, long hostNanos, int cpus) {
        return new ContainerStats(ContainerId.of("c1"), Instant.EPOCH, containerNanos, hostNanos, cpus, 0, 0, 0, 0,
                0, 0, 0);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // one core busy on a 2-core host: the container used 1 s while the host counted 2 s, half the machine
                Arguments.of(cpu(0, 0, 2), cpu(1_000_000_000L, 2_000_000_000L, 2), OptionalDouble.of(50.0)),
                // both cores busy: the whole machine
                Arguments.of(cpu(5, 10, 2), cpu(4_000_000_005L, 4_000_000_010L, 2), OptionalDouble.of(100.0)),
                // one core busy on a 4-core host
                Arguments.of(cpu(0, 0, 4), cpu(1_000_000_000L, 4_000_000_000L, 4), OptionalDouble.of(25.0)),
                // a quarter of a core on a 4-core host
                Arguments.of(cpu(0, 0, 4), cpu(250_000_000L, 4_000_000_000L, 4), OptionalDouble.of(6.25)),
                // idle
                Arguments.of(cpu(7, 10, 2), cpu(7, 2_000_000_010L, 2), OptionalDouble.of(0.0)),
                // no host time elapsed: no figure rather than a division by zero
                Arguments.of(cpu(7, 10, 2), cpu(9, 10, 2), OptionalDouble.empty()),
                // restarted container: its new cgroup counts from zero
                Arguments.of(cpu(9_000, 10, 2), cpu(100, 2_000, 2), OptionalDouble.empty()),
                // the online CPUs play no part (an engine may report none)
                Arguments.of(cpu(0, 0, 0), cpu(50, 100, 0), OptionalDouble.of(50.0)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void percent_isTheShareOfTheWholeMachine_asKanto(ContainerStats previous, ContainerStats current,
                                                     OptionalDouble expected) {
        assertThat(CpuUsage.percent(previous, current)).isEqualTo(expected);
    }

    @Test
    void percent_withoutBaseline_isEmpty() {
        assertThat(CpuUsage.percent(null, cpu(1, 2, 2))).isEmpty();
    }
}

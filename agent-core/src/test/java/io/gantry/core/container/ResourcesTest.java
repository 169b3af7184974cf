package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourcesTest {

    private static Optional<ByteSize> size(String text) {
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(ByteSize.parse(text));
    }

    private static Resources memory(String memory, String reservation, String swap, boolean unlimitedSwap) {
        return Resources.NONE.withMemory(size(memory), size(reservation), size(swap), unlimitedSwap);
    }

    @ParameterizedTest(name = "memory={0} reservation={1} swap={2} unlimited={3}")
    @CsvSource(delimiter = '|', textBlock = """
            512m  | ''    | ''    | false
            6m    | ''    | ''    | false
            1g    | 512m  | 2g    | false
            100m  | 100m  | 100m  | false
            ''    | 64m   | ''    | false
            200M  | ''    | ''    | true
            ''    | ''    | ''    | true
            """)
    void memoryRules_accepted(String memory, String reservation, String swap, boolean unlimited) {
        Resources r = memory(memory, reservation, swap, unlimited);
        assertThat(r.memory()).isEqualTo(size(memory));
        assertThat(r.memorySwapBytes()).isEqualTo(unlimited ? -1 : size(swap).map(ByteSize::bytes).orElse(0L));
    }

    @ParameterizedTest(name = "memory={0} reservation={1} swap={2}: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            2m    | ''    | ''    | false | minimum memory allowed is 6M
            5m    | ''    | ''    | false | minimum memory allowed is 6M
            ''    | 4m    | ''    | false | minimum memory reservation allowed is 6M
            100m  | 200m  | ''    | false | reservation memory - 200m must be lower than memory - 100m
            ''    | ''    | 300m  | false | swap memory - 300m, memory must be set as well
            300m  | ''    | 200m  | false | swap memory - 200m is less than memory - 300m
            300m  | ''    | 600m  | true  | swap memory cannot be both unlimited and 600m
            """)
    void memoryRules_rejectedWithKantosMessages(String memory, String reservation, String swap, boolean unlimited,
                                                String message) {
        assertThatThrownBy(() -> memory(memory, reservation, swap, unlimited))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0} cpus = {1}")
    @CsvSource({"1.5,1.5", "0.25,0.25", "2,2", "2.000,2", "1e2,100", "' 0.5 ',0.5", "0.001,0.001", "1024,1024"})
    void cpus_parseAndNormalise(String text, String normalised) {
        Resources r = Resources.NONE.withCpus(Optional.of(Resources.parseCpus(text)));
        assertThat(r.cpus()).contains(new BigDecimal(normalised));
        assertThat(r.cpus().orElseThrow().toPlainString()).isEqualTo(normalised);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            abc     | invalid cpus "abc": expected a decimal number such as 1.5
            ''      | invalid cpus "": expected a decimal number such as 1.5
            1,5     | invalid cpus "1,5": expected a decimal number such as 1.5
            """)
    void parseCpus_rejectsWhatIsNotANumber(String text, String message) {
        assertThatThrownBy(() -> Resources.parseCpus(text)).hasMessage(message);
    }

    @ParameterizedTest(name = "{0} cpus")
    @CsvSource({"0", "-1", "0.0001", "1025"})
    void cpus_outOfRange_areRejected(String text) {
        assertThatThrownBy(() -> Resources.NONE.withCpus(Optional.of(new BigDecimal(text))))
                .hasMessage("cpus " + text + " must be a number from 0.001 to 1024 with at most 3 decimals");
    }

    @Test
    void parseCpus_null_isRejected() {
        assertThatThrownBy(() -> Resources.parseCpus(null))
                .hasMessage("invalid cpus \"null\": expected a decimal number such as 1.5");
    }

    @Test
    void equalCpus_writtenDifferently_areEqual() {
        assertThat(Resources.NONE.withCpus(Optional.of(new BigDecimal("1.50"))))
                .isEqualTo(Resources.NONE.withCpus(Optional.of(new BigDecimal("1.5"))));
    }

    @Test
    void updatablePart_dropsOnlyTheGpus() {
        Resources r = Resources.memory(ByteSize.parse("512m")).withCpus(Optional.of(BigDecimal.ONE))
                .withGpus(Optional.of(Gpus.ALL));
        assertThat(r.updatablePart()).isEqualTo(Resources.memory(ByteSize.parse("512m"))
                .withCpus(Optional.of(BigDecimal.ONE)));
    }
}

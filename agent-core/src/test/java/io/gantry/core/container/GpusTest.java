package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GpusTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"all,-1,all", "ALL,-1,all", "' all ',-1,all", "1,1,1", "2,2,2", "9999,9999,9999"})
    void parse_allOrACount(String text, int count, String printed) {
        Gpus gpus = Gpus.parse(text);
        assertThat(gpus.count()).isEqualTo(count);
        assertThat(gpus).hasToString(printed);
        assertThat(gpus.all()).isEqualTo(count == -1);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "0", "-1", "two", "1.5", "10000", "count=2"})
    void parse_rejectsNamingTheValue(String text) {
        assertThatThrownBy(() -> Gpus.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid gpus \"" + text + "\": expected \"all\" or a count of at least 1");
    }

    @Test
    void constructor_rejectsZeroAndNegativeCounts() {
        assertThatThrownBy(() -> new Gpus(0)).hasMessage("a GPU count must be at least 1 (or \"all\")");
        assertThatThrownBy(() -> new Gpus(-2)).hasMessage("a GPU count must be at least 1 (or \"all\")");
        assertThat(new Gpus(-1)).isEqualTo(Gpus.ALL);
    }
}

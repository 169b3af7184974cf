package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            512m     | 536870912
            512M     | 536870912
            1g       | 1073741824
            1G       | 1073741824
            1.5g     | 1610612736
            1.3k     | 1331
            100MiB   | 104857600
            100mib   | 104857600
            64kb     | 65536
            64KB     | 65536
            2 m      | 2097152
            ' 3m '   | 3145728
            1t       | 1099511627776
            10b      | 10
            10B      | 10
            0b       | 0
            0m       | 0
            0.5k     | 512
            """)
    void parse_acceptedForms(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", "512", "1.5", "1.2.3m", "m", "-1m", "1x", "1 mb b", "1  m", "1mm", "one g", "1e3m",
            "1.m", ".5m"})
    void parse_rejectsWithTheValueAndExamples(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a size (e.g. 512m, 1.5g, 100MiB)");
    }

    @Test
    void parse_null_saysASizeIsRequired() {
        assertThatThrownBy(() -> ByteSize.parse(null)).hasMessage("a size is required (e.g. 512m, 1g)");
    }

    @Test
    void parse_tooLarge_isRejected() {
        assertThatThrownBy(() -> ByteSize.parse("99999999t")).hasMessage("\"99999999t\" is too large a size");
    }

    @Test
    void negativeBytes_areRejected() {
        assertThatThrownBy(() -> ByteSize.ofBytes(-1)).hasMessage("a size cannot be negative: -1");
    }

    @ParameterizedTest(name = "{0} bytes format as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0              | 0B
            10             | 10B
            1023           | 1023B
            1024           | 1K
            1536           | 1536B
            1572864        | 1536K
            209715200      | 200M
            1073741824     | 1G
            1610612736     | 1536M
            1099511627776  | 1T
            """)
    void format_isTheShortestExactForm(long bytes, String expected) {
        assertThat(ByteSize.ofBytes(bytes).format()).isEqualTo(expected);
        assertThat(ByteSize.parse(expected).bytes()).isEqualTo(bytes);
    }

    @Test
    void parse_keepsTheTextAsWritten_butEqualsByBytes() {
        ByteSize lower = ByteSize.parse(" 300m ");

        assertThat(lower.format()).isEqualTo("300m");
        assertThat(lower.shortest()).isEqualTo("300M");
        assertThat(lower).isEqualTo(ByteSize.parse("300M")).hasSameHashCodeAs(ByteSize.ofMebibytes(300));
        assertThat(ByteSize.ofMebibytes(300).format()).isEqualTo("300M");
    }

    @Test
    void times_andCompare() {
        assertThat(ByteSize.parse("200M").times(2)).isEqualTo(ByteSize.parse("400m"));
        assertThat(ByteSize.parse("1g")).isGreaterThan(ByteSize.parse("1023m"));
        assertThat(ByteSize.ofMebibytes(3)).hasToString("3M");
    }
}

package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0        | PT0S
            15       | PT15S
            ' 15 '   | PT15S
            20s      | PT20S
            1m       | PT1M
            1m30s    | PT1M30S
            1h2m3s5ms| PT1H2M3.005S
            250ms    | PT0.25S
            1.5s     | PT1.5S
            0.5h     | PT30M
            100us    | PT0.0001S
            100µs    | PT0.0001S
            7ns      | PT0.000000007S
            744h     | PT744H
            """)
    void parse_acceptedForms(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", " ", "20x", "s", "1.5", "-5s", "20 s", "1H", "1d", "20s30", "1m 30s", "+5s",
            "1e3s", "abc"})
    void parse_rejectsWithTheValueAndExamples(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration (e.g. 20s, 1m)");
    }

    @ParameterizedTest
    @NullSource
    void parse_null_saysADurationIsRequired(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessage("a duration is required (e.g. 20s, 1m)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "999999999999h"})
    void parse_overflow_isRejected(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PT0S            | 0s
            PT0.000000007S  | 7ns
            PT0.0000015S    | 1.5µs
            PT0.25S         | 250ms
            PT0.0015S       | 1.5ms
            PT1S            | 1s
            PT30S           | 30s
            PT1.5S          | 1.5s
            PT1M            | 1m0s
            PT1M30S         | 1m30s
            PT1H            | 1h0m0s
            PT1H2M3.005S    | 1h2m3.005s
            PT744H          | 744h0m0s
            PT-30S          | -30s
            """)
    void format_isGoDurationString(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "7ns", "250ms", "1.5s", "1m30s", "1h2m3.005s", "744h0m0s", "1.5µs"})
    void format_roundTripsThroughParse(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
}

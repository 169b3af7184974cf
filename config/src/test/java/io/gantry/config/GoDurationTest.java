package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoDurationTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("2s", Duration.ofSeconds(2)),
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("1m30s", Duration.ofSeconds(90)),
                Arguments.of("1.5h", Duration.ofMinutes(90)),
                Arguments.of("2h45m", Duration.ofMinutes(165)),
                Arguments.of("1h2m3s4ms5us6ns", Duration.ofNanos(3_723_004_005_006L)),
                Arguments.of("-1s", Duration.ofSeconds(-1)),
                Arguments.of("+5s", Duration.ofSeconds(5)),
                Arguments.of("0", Duration.ZERO),
                Arguments.of("-0", Duration.ZERO),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of(".5s", Duration.ofMillis(500)),
                Arguments.of("1.s", Duration.ofSeconds(1)),
                Arguments.of("5\u00b5s", Duration.ofNanos(5_000)),
                Arguments.of("5\u03bcs", Duration.ofNanos(5_000)),
                Arguments.of("5us", Duration.ofNanos(5_000)),
                Arguments.of("100ns", Duration.ofNanos(100)),
                Arguments.of("0.000000001s", Duration.ofNanos(1)),
                Arguments.of("9223372036854775807ns", Duration.ofNanos(Long.MAX_VALUE)),
                Arguments.of("-9223372036854775808ns", Duration.ofNanos(Long.MIN_VALUE)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parse_goDurationString_readsItAsGoDoes(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "time: invalid duration \"\""),
                Arguments.of("invalid frequency", "time: invalid duration \"invalid frequency\""),
                Arguments.of("s", "time: invalid duration \"s\""),
                Arguments.of("-", "time: invalid duration \"-\""),
                Arguments.of(".s", "time: invalid duration \".s\""),
                Arguments.of("5", "time: missing unit in duration \"5\""),
                Arguments.of("1s2", "time: missing unit in duration \"1s2\""),
                Arguments.of("1.5.s", "time: missing unit in duration \"1.5.s\""),
                Arguments.of("5x", "time: unknown unit \"x\" in duration \"5x\""),
                Arguments.of("1e3s", "time: unknown unit \"e\" in duration \"1e3s\""),
                Arguments.of("2 s", "time: unknown unit \" s\" in duration \"2 s\""),
                Arguments.of("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""),
                Arguments.of("3000000h", "time: invalid duration \"3000000h\""),
                Arguments.of("99999999999999999999s", "time: invalid duration \"99999999999999999999s\""),
                Arguments.of("a\"b\\c\n", "time: invalid duration \"a\\\"b\\\\c\\n\""),
                Arguments.of("\u0001", "time: invalid duration \"\\x01\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void parse_invalidString_failsWithGosMessage(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}

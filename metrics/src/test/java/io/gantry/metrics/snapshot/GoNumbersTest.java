package io.gantry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoNumbersTest {

    /** Expected texts are what Go's encoding/json prints for the same float64. */
    static Stream<Arguments> json() {
        return Stream.of(
                Arguments.of(0.0, "0"),
                Arguments.of(1.0, "1"),
                Arguments.of(14.0, "14"),
                Arguments.of(10371616768.0, "10371616768"),
                Arguments.of(8.751566666666667, "8.751566666666667"),
                Arguments.of(0.04589016453717083, "0.04589016453717083"),
                Arguments.of(0.1, "0.1"),
                Arguments.of(0.3, "0.3"),
                Arguments.of(2.0 / 3, "0.6666666666666666"),
                Arguments.of(100.0 / 3, "33.333333333333336"),
                Arguments.of(0.002, "0.002"), // Java 17's Double.toString says 0.0020
                Arguments.of(-2.5, "-2.5"),
                Arguments.of(1e20, "100000000000000000000"),
                Arguments.of(123456789012345680000.0, "123456789012345680000"),
                Arguments.of(9007199254740992.0, "9007199254740992"),
                Arguments.of(9007199254740993e3, "9007199254740993000"),
                Arguments.of(1e21, "1e+21"),
                Arguments.of(1e23, "1e+23"),
                Arguments.of(1.5e300, "1.5e+300"),
                Arguments.of(Double.MAX_VALUE, "1.7976931348623157e+308"),
                Arguments.of(1e-6, "0.000001"),
                Arguments.of(1.5e-6, "0.0000015"),
                Arguments.of(1e-7, "1e-7"),
                Arguments.of(1.2345e-10, "1.2345e-10"),
                Arguments.of(Double.MIN_VALUE, "5e-324"),
                Arguments.of(-1e-7, "-1e-7"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("json")
    void format_printsAsGoEncodingJson(double value, String expected) {
        assertThat(GoNumbers.format(value)).isEqualTo(expected);
        assertThat(Double.parseDouble(expected)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void format_nonFiniteValue_isRejected(double value) {
        assertThatThrownBy(() -> GoNumbers.format(value)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Expected texts are what Go's fmt prints for %v of the same float64. */
    static Stream<Arguments> goV() {
        return Stream.of(
                Arguments.of(0.0, "0"),
                Arguments.of(1.5, "1.5"),
                Arguments.of(100000.0, "100000"),
                Arguments.of(1000000.0, "1e+06"),
                Arguments.of(123456789.0, "1.23456789e+08"),
                Arguments.of(0.0001, "0.0001"),
                Arguments.of(0.00001, "1e-05"),
                Arguments.of(-2.0, "-2"),
                Arguments.of(Double.NaN, "NaN"),
                Arguments.of(Double.POSITIVE_INFINITY, "+Inf"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("goV")
    void formatG_printsAsGoFmtV(double value, String expected) {
        assertThat(GoNumbers.formatG(value)).isEqualTo(expected);
    }
}

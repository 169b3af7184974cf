package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsTest {

    @ParameterizedTest
    @CsvSource({"SIGTERM, 15", "TERM, 15", "term, 15", "15, 15", "SIGINT, 2", "kill, 9", "SIGSYS, 31", "64, 64"})
    void number_readsNamesAndNumbers(String signal, int number) {
        assertThat(Signals.number(signal)).hasValue(number);
        assertThat(Signals.wireForm(signal)).isEqualTo(Integer.toString(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGFOO", "0", "65", "123", ""})
    void number_ofSomethingLinuxDoesNotKnow_isEmpty(String signal) {
        assertThat(Signals.number(signal)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"SIGTERM, 15, true", "INT, SIGINT, true", "SIGTERM, SIGINT, false", "SIGRTMIN+3, sigrtmin+3, true"})
    void same_comparesBySignalNotSpelling(String a, String b, boolean same) {
        assertThat(Signals.same(a, b)).isEqualTo(same);
    }
}

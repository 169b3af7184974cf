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

    @ParameterizedTest
    @CsvSource({"SIGINT, SIGINT", "int, SIGINT", "sigterm, SIGTERM", "' KILL ', SIGKILL", "2, 2", "40, 40",
            "SIGRTMIN+3, SIGRTMIN+3", "rtmax-2, SIGRTMAX-2", "SIGCLD, SIGCLD"})
    void canonical_readsAsTheEngineReadsIt(String text, String expected) {
        assertThat(Signals.canonical(text)).contains(expected);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"FOO", "SIGFOO", "0", "02", "65", "-1", "", "SIG TERM",
            "SIGRTMIN+16", "9a"})
    void canonical_unknown_isEmpty(String text) {
        assertThat(Signals.canonical(text)).isEmpty();
    }
}

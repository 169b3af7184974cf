package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
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
    @CsvSource({"int, SIGINT", "15, 15", "SIGRTMIN+3, SIGRTMIN+3", "rtmax-1, SIGRTMAX-1"})
    void stopOptions_acceptKnownSignals(String given, String normalised) {
        assertThat(new StopOptions(Optional.empty(), Optional.of(given)).signal()).contains(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGFOO", "99", "SIG TERM", "-1"})
    void stopOptions_rejectUnknownSignalsWithKantosMessage(String signal) {
        assertThatThrownBy(() -> new StopOptions(Optional.of(Duration.ZERO), Optional.of(signal)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid signal = " + signal);
    }
}

package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StopOptionsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"SIGTERM,SIGTERM", "sigterm,SIGTERM", "TERM,SIGTERM", "int,SIGINT", "' KILL ',SIGKILL", "2,2", "64,64",
            "SIGRTMIN,SIGRTMIN", "SIGRTMIN+3,SIGRTMIN+3", "rtmax-2,SIGRTMAX-2", "SIGUSR1,SIGUSR1", "SIGWINCH,SIGWINCH"})
    void signal_isNormalisedToUpperCaseWithSig(String given, String normalised) {
        assertThat(new StopOptions(Optional.empty(), Optional.of(given)).signal()).contains(normalised);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"SIGFOO", "foo", "0", "65", "99", "SIG", "SIGRTMIN+16", "SIG TERM", "-9", "9a"})
    void signal_unknown_isRejectedNamingIt(String given) {
        assertThatThrownBy(() -> new StopOptions(Optional.empty(), Optional.of(given)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid signal = " + given + " (expected a signal name such as SIGTERM or TERM, or a number"
                        + " from 1 to 64)");
    }

    @Test
    void blankSignal_meansTheImagesStopSignal() {
        assertThat(new StopOptions(Optional.empty(), Optional.of(" ")).signal()).isEmpty();
        assertThat(StopOptions.DEFAULT.signal()).isEmpty();
        assertThat(StopOptions.DEFAULT.timeout()).isEmpty();
    }

    @Test
    void timeout_mustNotBeNegative_withKantosMessage() {
        assertThatThrownBy(() -> StopOptions.timeout(Duration.ofSeconds(-1))).hasMessage("the timeout = -1 shouldn't be negative");
        assertThat(StopOptions.timeout(Duration.ZERO).timeout()).contains(Duration.ZERO);
    }
}

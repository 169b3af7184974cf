package io.gantry.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private static final Backoff ONE_TO_THIRTY = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    @ParameterizedTest(name = "attempt {0}, random {1} -> {2} ms")
    @CsvSource(textBlock = """
            0,   0.0,  500
            0,   0.5,  750
            0,   0.999, 999
            1,   0.0,  1000
            2,   0.0,  2000
            4,   0.0,  8000
            4,   0.999, 15992
            5,   0.0,  15000
            6,   0.0,  15000
            6,   0.999, 29985
            100, 0.0,  15000
            2147483647, 0.5, 22500
            """)
    void delay_doublesUpToTheCapWithJitterInTheUpperHalf(int attempt, double random, long millis) {
        assertThat(ONE_TO_THIRTY.delay(attempt, () -> random)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void default_startsAtHalfASecondAndStopsAtTwo() {
        assertThat(Backoff.DEFAULT.delay(0, () -> 0.999)).isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(Backoff.DEFAULT.delay(50, () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(2))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1990));
        // jitter: a fleet spreads over the upper half of the step, one second wide at the cap
        assertThat(Backoff.DEFAULT.delay(50, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void new_initialAboveMax_isRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

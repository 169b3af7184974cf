package io.gantry.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.time.TimeSync;
import org.junit.jupiter.api.Test;

/** The doctor's verdict for each answer of the shared time-sync reader. */
class ClockCheckTest {

    @Test
    void eachStatus_hasItsVerdict() {
        assertThat(new ClockCheck(() -> TimeSync.synchronised("chronyc: Leap status Normal")).run())
                .extracting(Finding::verdict, Finding::detail)
                .containsExactly(Finding.Verdict.OK, "synchronised (chronyc: Leap status Normal)");
        Finding unsynchronised = new ClockCheck(() -> TimeSync.notSynchronised("timedatectl: NTPSynchronized=no")).run();
        assertThat(unsynchronised.verdict()).isEqualTo(Finding.Verdict.FAIL);
        assertThat(unsynchronised.detail()).isEqualTo("not synchronised (timedatectl: NTPSynchronized=no)");
        assertThat(new ClockCheck(() -> TimeSync.unknown("no source")).run().verdict())
                .isEqualTo(Finding.Verdict.WARN);
    }
}

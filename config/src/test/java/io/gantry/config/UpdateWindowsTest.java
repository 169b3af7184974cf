package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Update windows: days, times past midnight, time zones (with a daylight-saving change) and the next opening. */
class UpdateWindowsTest {

    @Test
    void noWindows_alwaysOpen() {
        UpdateWindows w = UpdateWindows.parse(List.of(), "UTC");

        assertThat(w.always()).isTrue();
        assertThat(w.isOpen(Instant.parse("2026-12-05T12:00:00Z"))).isTrue();
        assertThat(w.nextOpening(Instant.parse("2026-12-05T12:00:00Z"))).isEmpty();
    }

    @Test
    void weekdayNights_inBerlin() {
        UpdateWindows w = UpdateWindows.parse(List.of("Mon-Fri 02:00-04:00"), "Europe/Berlin");

        // Saturday 5 December 2026, 12:00 UTC: closed; next: Monday 02:00 CET = 01:00 UTC
        assertThat(w.isOpen(Instant.parse("2026-12-05T12:00:00Z"))).isFalse();
        assertThat(w.nextOpening(Instant.parse("2026-12-05T12:00:00Z"))).contains(Instant.parse("2026-12-07T01:00:00Z"));
        assertThat(w.isOpen(Instant.parse("2026-12-07T01:00:00Z"))).isTrue();
        assertThat(w.isOpen(Instant.parse("2026-12-07T02:59:59Z"))).isTrue();
        assertThat(w.isOpen(Instant.parse("2026-12-07T03:00:00Z"))).isFalse();
        // summer time: 02:00 CEST = 00:00 UTC
        assertThat(w.isOpen(Instant.parse("2026-07-06T00:30:00Z"))).isTrue();
    }

    @Test
    void aWindowPastMidnight_andSeveralWindows_andWrappingDayRanges() {
        UpdateWindows w = UpdateWindows.parse(List.of("Sat 22:00-02:00", "Sun,Mon 12:00-12:30"), "UTC");

        assertThat(w.isOpen(Instant.parse("2026-12-05T23:00:00Z"))).isTrue();   // Saturday night
        assertThat(w.isOpen(Instant.parse("2026-12-06T01:59:00Z"))).isTrue();   // into Sunday
        assertThat(w.isOpen(Instant.parse("2026-12-06T02:00:00Z"))).isFalse();
        assertThat(w.nextOpening(Instant.parse("2026-12-06T02:00:00Z"))).contains(Instant.parse("2026-12-06T12:00:00Z"));
        assertThat(UpdateWindows.parse(List.of("Fri-Mon 00:00-24:00"), "UTC").isOpen(Instant.parse("2026-12-06T10:00:00Z")))
                .isTrue();
        assertThat(UpdateWindows.parse(List.of("Fri-Mon 00:00-24:00"), "UTC").isOpen(Instant.parse("2026-12-09T10:00:00Z")))
                .isFalse();
    }

    @Test
    void unreadableWindowsAndZones_nameWhatIsWrong() {
        assertThatThrownBy(() -> UpdateWindows.parse(List.of("weekdays 2-4"), "UTC")).hasMessage("\"weekdays 2-4\" is"
                + " not a window (expected days and times, e.g. \"Mon-Fri 02:00-04:00\" or \"Sat,Sun 00:00-24:00\")");
        assertThatThrownBy(() -> UpdateWindows.parse(List.of("Mon-Fry 02:00-04:00"), "UTC"))
                .hasMessage("\"Mon-Fry 02:00-04:00\": \"mon-fry\" is not a day or range of days (Mon … Sun, * for every day)");
        assertThatThrownBy(() -> UpdateWindows.parse(List.of("* 25:00-04:00"), "UTC")).hasMessageContaining(
                "the times must be 00:00 to 24:00");
        assertThatThrownBy(() -> UpdateWindows.parse(List.of("* 02:00-02:00"), "UTC")).hasMessageContaining(
                "the window is empty");
        assertThatThrownBy(() -> UpdateWindows.parse(List.of(), "Mars/Olympus")).hasMessage(
                "\"Mars/Olympus\" is not a time zone (e.g. UTC, Europe/Berlin)");
    }
}

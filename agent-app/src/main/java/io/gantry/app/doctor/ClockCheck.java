package io.gantry.app.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the system clock is synchronised, the "time good" status of the Unwired source document: an
 * unsynchronised clock breaks TLS and every timestamp. Asked, in order: a time-status file (non-empty content means
 * synchronised; Unwired containers see {@code /host/.time-status}), systemd-timesyncd's
 * {@code /run/systemd/timesync/synchronized}, then {@code timedatectl}'s {@code NTPSynchronized}. When none of them
 * can tell, the finding is a warning.
 */
public final class ClockCheck {

    static final String NAME = "clock";
    static final Path UNWIRED_TIME_STATUS = Path.of("/host/.time-status");
    private static final Path TIMESYNCD_SYNCHRONIZED = Path.of("/run/systemd/timesync/synchronized");
    private static final String FIX = "start time synchronisation (timedatectl set-ntp true, or chrony) and check "
            + "that an NTP server is reachable";

    private final Optional<Path> timeStatus;

    /** @param timeStatus a time-status file to ask first ({@code gantry doctor --time-status}) */
    public ClockCheck(Optional<Path> timeStatus) {
        this.timeStatus = timeStatus;
    }

    Finding run() {
        Optional<Path> file = timeStatus.or(() -> Files.exists(UNWIRED_TIME_STATUS) ? Optional.of(UNWIRED_TIME_STATUS)
                : Optional.empty());
        if (file.isPresent()) {
            return fromFile(file.get());
        }
        if (Files.exists(TIMESYNCD_SYNCHRONIZED)) {
            return Finding.ok(NAME, "synchronised (" + TIMESYNCD_SYNCHRONIZED + ")");
        }
        return timedatectl().map(yes -> yes ? Finding.ok(NAME, "synchronised (timedatectl: NTPSynchronized=yes)")
                        : Finding.fail(NAME, "not synchronised (timedatectl: NTPSynchronized=no)", FIX))
                .orElse(Finding.warn(NAME, "cannot tell: no time-status file, no systemd-timesyncd, no timedatectl",
                        "pass --time-status FILE if the platform provides one, or run systemd-timesyncd or chrony"));
    }

    private static Finding fromFile(Path file) {
        try {
            return Files.readString(file).isBlank()
                    ? Finding.fail(NAME, "not synchronised (" + file + " is empty)", FIX)
                    : Finding.ok(NAME, "synchronised (" + file + ")");
        } catch (IOException e) {
            return Finding.fail(NAME, "not synchronised (" + file + " cannot be read: " + e.getMessage() + ")", FIX);
        }
    }

    private static Optional<Boolean> timedatectl() {
        try {
            Process p = new ProcessBuilder("timedatectl", "show", "--property=NTPSynchronized", "--value")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String answer = new String(p.getInputStream().readAllBytes()).strip();
            return p.exitValue() == 0 && (answer.equals("yes") || answer.equals("no"))
                    ? Optional.of(answer.equals("yes")) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}

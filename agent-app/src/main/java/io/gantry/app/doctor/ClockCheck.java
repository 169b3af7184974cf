package io.gantry.app.doctor;

import io.gantry.core.time.SystemTimeSync;
import io.gantry.core.time.TimeSync;
import io.gantry.core.time.TimeSyncSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the system clock is synchronised, the "time good" status of the Unwired source document: an
 * unsynchronised clock breaks TLS and every timestamp. The status comes from {@link SystemTimeSync}, the same reader
 * the running agent publishes (docs/operations.md, "Time good"); when no source can tell, the finding is a warning.
 */
public final class ClockCheck {

    static final String NAME = "clock";
    private static final String FIX = "start time synchronisation (timedatectl set-ntp true, or chrony) and check "
            + "that an NTP server is reachable";

    private final TimeSyncSource source;

    /**
     * @param timeStatus the time-status file to ask first: {@code gantry doctor --time-status}, else the
     *                   configuration's {@code time_sync.status_file}; asked when the check runs
     */
    public ClockCheck(Supplier<Optional<Path>> timeStatus) {
        this(new SystemTimeSync(timeStatus));
    }

    ClockCheck(TimeSyncSource source) {
        this.source = source;
    }

    Finding run() {
        TimeSync status = source.read();
        return switch (status.state()) {
            case SYNCHRONISED -> Finding.ok(NAME, status.describe());
            case NOT_SYNCHRONISED -> Finding.fail(NAME, status.describe(), FIX);
            case UNKNOWN -> Finding.warn(NAME, status.describe(),
                    "pass --time-status FILE if the platform provides one, or run systemd-timesyncd or chrony");
        };
    }
}

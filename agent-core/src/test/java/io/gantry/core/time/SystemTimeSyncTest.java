package io.gantry.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of the sources and what each of their answers means. */
class SystemTimeSyncTest {

    @TempDir
    Path dir;
    private final List<String> asked = new ArrayList<>();

    private SystemTimeSync source(Optional<Path> configured, Map<String, String> tools) {
        return new SystemTimeSync(() -> configured, dir.resolve("host-time-status"), dir.resolve("synchronized"),
                command -> {
                    asked.add(command.get(0));
                    return Optional.ofNullable(tools.get(command.get(0)));
                });
    }

    @Test
    void aConfiguredFile_nonEmptyMeansSynchronised_emptyOrMissingMeansNot() throws Exception {
        Path file = dir.resolve("status");
        SystemTimeSync source = source(Optional.of(file), Map.of("timedatectl", "yes\n"));

        assertThat(source.read()).isEqualTo(TimeSync.notSynchronised(file + " cannot be read: " + file));
        Files.writeString(file, "  \n");
        assertThat(source.read()).isEqualTo(TimeSync.notSynchronised(file + " is empty"));
        Files.writeString(file, "synced by ntp\n");
        assertThat(source.read()).isEqualTo(TimeSync.synchronised(file.toString()));
        assertThat(asked).isEmpty();
    }

    @Test
    void theUnwiredFile_isAskedWhenItExists() throws Exception {
        Files.writeString(dir.resolve("host-time-status"), "");

        assertThat(source(Optional.empty(), Map.of()).read().state()).isEqualTo(TimeSync.State.NOT_SYNCHRONISED);
    }

    @Test
    void timesyncd_thenChrony_thenTimedatectl() throws Exception {
        assertThat(source(Optional.empty(), Map.of("timedatectl", "no\n")).read())
                .isEqualTo(TimeSync.notSynchronised("timedatectl: NTPSynchronized=no"));
        assertThat(asked).containsExactly("chronyc", "timedatectl");

        String tracking = "Reference ID    : 00000000 ()\nStratum         : 0\nLeap status     : Not synchronised\n";
        assertThat(source(Optional.empty(), Map.of("chronyc", tracking, "timedatectl", "yes")).read())
                .isEqualTo(TimeSync.notSynchronised("chronyc: Leap status Not synchronised"));
        assertThat(source(Optional.empty(), Map.of("chronyc", "Leap status     : Normal\n")).read())
                .isEqualTo(TimeSync.synchronised("chronyc: Leap status Normal"));

        Files.writeString(dir.resolve("synchronized"), "");
        asked.clear();
        assertThat(source(Optional.empty(), Map.of("timedatectl", "no")).read().state())
                .isEqualTo(TimeSync.State.SYNCHRONISED);
        assertThat(asked).isEmpty();
    }

    @Test
    void noSourceTells_isUnknown_notUnsynchronised() {
        TimeSync status = source(Optional.empty(), Map.of("chronyc", "506 Cannot talk to daemon\n",
                "timedatectl", "maybe")).read();

        assertThat(status.state()).isEqualTo(TimeSync.State.UNKNOWN);
        assertThat(status.knownUnsynchronised()).isFalse();
    }
}

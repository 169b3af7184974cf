package io.gantry.app.refusals;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.policy.Refusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool from gantry create to the agent: what is offered is drained once, bounded, and bad files are dropped. */
class RefusalSpoolTest {

    @TempDir
    Path stateDir;

    private static Refusal refusal(int n) {
        return new Refusal(Instant.ofEpochSecond(1_800_000_000L + n), CreationOrigin.CLI, "policy.host_paths",
                "app:" + n, Optional.of("sha256:" + "b".repeat(64)), "web" + n, Refusal.REFUSED,
                "refused by policy.host_paths: host path /etc may not be mounted (image app:" + n + ")");
    }

    @Test
    void offered_isDrainedOnce_oldestFirst_andTheFilesAreGone() throws Exception {
        RefusalSpool spool = new RefusalSpool(stateDir);
        spool.offer(refusal(1));
        spool.offer(refusal(2));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.directory())))
                .isEqualTo("rwx------");

        List<Refusal> taken = new ArrayList<>();
        spool.drain(taken::add);
        spool.drain(taken::add);

        assertThat(taken).containsExactly(refusal(1), refusal(2));
        try (var left = Files.list(spool.directory())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFullSpool_takesNoMore() {
        RefusalSpool spool = new RefusalSpool(stateDir);
        for (int i = 0; i < RefusalSpool.MAX_FILES + 10; i++) {
            spool.offer(refusal(i));
        }
        List<Refusal> taken = new ArrayList<>();
        spool.drain(taken::add);
        assertThat(taken).hasSize(RefusalSpool.MAX_FILES);
    }

    @Test
    void filesThatAreNotRefusals_areDropped_andTheGoodOnesStillTaken() throws Exception {
        RefusalSpool spool = new RefusalSpool(stateDir);
        spool.offer(refusal(1));
        Path dir = spool.directory();
        Files.writeString(dir.resolve("0-bad-json.json"), "{not json");
        Files.writeString(dir.resolve("0-array.json"), "[]");
        Files.writeString(dir.resolve("0-rule.json"), "{\"time\":\"2027-01-15T08:00:00Z\",\"rule\":\"Nope Nope\","
                + "\"image\":\"x\",\"subject\":\"y\",\"message\":\"z\"}");
        Files.writeString(dir.resolve("0-time.json"), "{\"time\":\"yesterday\",\"rule\":\"policy.gpus\","
                + "\"image\":\"x\",\"subject\":\"y\",\"message\":\"z\"}");
        Files.writeString(dir.resolve("0-missing.json"), "{\"time\":\"2027-01-15T08:00:00Z\",\"rule\":\"policy.gpus\"}");
        Files.writeString(dir.resolve("0-large.json"), "{\"x\":\"" + "a".repeat(RefusalSpool.MAX_BYTES) + "\"}");
        Files.createSymbolicLink(dir.resolve("0-link.json"), dir.resolve("0-rule.json"));

        List<Refusal> taken = new ArrayList<>();
        spool.drain(taken::add);

        assertThat(taken).containsExactly(refusal(1));
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aSpoolThatCannotBeWritten_costsNothingButTheRecord() throws Exception {
        Path notADirectory = Files.writeString(stateDir.resolve("file"), "x");
        new RefusalSpool(notADirectory).offer(refusal(1)); // no exception

        List<Refusal> taken = new ArrayList<>();
        new RefusalSpool(notADirectory).drain(taken::add);
        assertThat(taken).isEmpty();
    }
}

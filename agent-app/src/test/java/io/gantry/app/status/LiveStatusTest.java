package io.gantry.app.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status file of a running agent: read back while its writer lives, ignored once it has gone or is garbled. */
class LiveStatusTest {

    @TempDir
    Path stateDir;

    @Test
    void writtenByThisProcess_readsBack() {
        Instant at = Instant.parse("2026-12-04T19:00:00Z");
        LiveStatus written = LiveStatus.ofThisProcess().withConnected(true).withPublication("org.acme:gw", at);
        written.write(stateDir);

        assertThat(LiveStatus.readLive(stateDir)).contains(written);
    }

    @Test
    void aProcessThatHasGone_isNoLiveStatus() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LiveStatus self = LiveStatus.ofThisProcess();
        new LiveStatus(gone.pid(), self.processStart(), true, Optional.of("org.acme:gw"), Optional.empty())
                .write(stateDir);

        assertThat(LiveStatus.readLive(stateDir)).isEmpty();
    }

    @Test
    void aReusedPid_isNoLiveStatus() {
        LiveStatus self = LiveStatus.ofThisProcess();
        new LiveStatus(self.pid(), self.processStart().minusSeconds(3600), true, Optional.empty(), Optional.empty())
                .write(stateDir);

        assertThat(LiveStatus.readLive(stateDir)).isEmpty();
    }

    @Test
    void noFileOrAGarbledOne_isNoLiveStatus() throws Exception {
        assertThat(LiveStatus.readLive(stateDir)).isEmpty();
        Files.writeString(stateDir.resolve(LiveStatus.FILE), "{\"pid\": \"x\"");
        assertThat(LiveStatus.readLive(stateDir)).isEmpty();
    }

    @Test
    void delete_removesTheFile() {
        LiveStatus.ofThisProcess().write(stateDir);
        LiveStatus.delete(stateDir);
        assertThat(stateDir.resolve(LiveStatus.FILE)).doesNotExist();
    }
}

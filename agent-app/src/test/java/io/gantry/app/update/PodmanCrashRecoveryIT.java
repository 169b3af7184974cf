package io.gantry.app.update;

import io.gantry.app.testing.AgentProcess;
import io.gantry.app.testing.UpdateFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CrashRecoveryIT}'s SIGKILL in the middle of a replacement on a rootful Podman of the class's own: the
 * journal's rollback at the next start needs nothing of the engine that Podman lacks.
 */
class PodmanCrashRecoveryIT {

    @RegisterExtension
    static final UpdateFixture fixture = UpdateFixture.onPodman();

    @Test
    void agentKilledWhileTheReplacementSettles_rollsItBackAtTheNextStart_onPodman() {
        CrashRecoveryIT.interruptedWhileSettling(fixture, AgentProcess::kill);
    }
}

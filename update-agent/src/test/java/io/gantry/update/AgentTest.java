package io.gantry.update;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of the whole update agent on a {@link Harness}, which is stopped after each test. */
abstract class AgentTest {

    @TempDir
    Path stateDir;
    Harness h;

    @AfterEach
    void stopAgent() {
        if (h != null) {
            h.close();
        }
    }
}

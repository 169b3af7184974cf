package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.dashboard.PasswordHash;
import io.gantry.core.container.FakeContainerEngine;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@code gantry dashboard-password} reading the password as one line of standard input (no terminal in a test). */
class DashboardPasswordCommandTest {

    @Test
    void printsAHashThatMatchesThePassword_andNeverThePassword() {
        CliRun run = withInput("operator-password\n");
        assertThat(run.exit()).isZero();
        String hash = run.out().trim();
        assertThat(hash).startsWith("pbkdf2-sha256$600000$").doesNotContain("operator-password");
        assertThat(PasswordHash.parse(hash).matches("operator-password".toCharArray())).isTrue();
    }

    @Test
    void aShortPassword_isRefusedWithExitCode2() {
        CliRun run = withInput("short\n");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("at least 8 characters").doesNotContain("short\n");
    }

    private static CliRun withInput(String input) {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliRun.of(config -> new FakeContainerEngine(), Clock.systemUTC(), "dashboard-password");
        } finally {
            System.setIn(stdin);
        }
    }
}

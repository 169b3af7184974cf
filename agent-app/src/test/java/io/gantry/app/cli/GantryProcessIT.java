package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.app.testing.PackagedGantry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged command as {@code bin/gantry} runs it ({@code java -cp agent-app.jar:lib/* io.gantry.app.Main}), with
 * every runtime jar on the class path, HiveMQ CE's logback.xml included: standard output is exactly the result and
 * nothing below WARN is logged.
 */
class GantryProcessIT {

    private final String name = "gantry-proc-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private Path config;

    @BeforeEach
    void createAContainerByHand() throws IOException {
        TestImages.ensureBusybox(null);
        config = Files.createTempFile("gantry-config", ".json");
        Files.writeString(config, "{}");
        // sleep as PID 1 has no handler for SIGINT, so a stop with SIGINT must fall back to a kill.
        Processes.docker(null, "create", "--name", name, "--label", "io.gantry.test=" + name, TestImages.BUSYBOX,
                "sleep", "3600");
    }

    @AfterEach
    void removeIt() throws IOException {
        Processes.attempt(Map.of(), "docker", "rm", "-f", name);
        Files.deleteIfExists(config);
    }

    private Processes.Result gantry(List<String> jvmOptions, String... args) {
        List<String> options = new ArrayList<>(List.of("--config", config.toString()));
        options.addAll(List.of(args));
        return Processes.attempt(Map.of(), PackagedGantry.command(jvmOptions, options.toArray(String[]::new))
                .toArray(String[]::new));
    }

    @Test
    void commands_printOnlyTheirResult_evenWhenTheAdapterLogsAtInfo() throws IOException {
        Processes.Result start = gantry(List.of(), "start", name);
        Processes.Result stop = gantry(List.of(), "stop", "-t", "1", "-s", "SIGINT", name);
        Processes.Result json = gantry(List.of(), "ps", "-a", "--output", "json");

        assertThat(start).isEqualTo(new Processes.Result(0, name + "\n", ""));
        assertThat(stop).isEqualTo(new Processes.Result(0, name + "\n", ""));
        assertThat(new ObjectMapper().readTree(json.stdout()).isArray()).isTrue();
        assertThat(json.stderr()).isEmpty();

        // The same stop at INFO shows the line the default configuration keeps quiet.
        gantry(List.of(), "start", name);
        Processes.Result verbose = gantry(List.of("-Dgantry.log.level=info"), "stop", "-t", "1", "-s", "SIGINT", name);
        assertThat(verbose.stderr()).contains("did not end within 1s of SIGINT; killing it");
        assertThat(verbose.stdout()).isEqualTo(name + "\n");
    }

    @Test
    void errors_areOneLineOnStandardErrorWithTheirExitCode() throws IOException {
        Processes.Result unknown = gantry(List.of(), "inspect", name + "-nosuch");
        Processes.Result unreachable = gantry(List.of(), "-H", "unix:///nonexistent/docker.sock", "ps");
        Processes.Result badValue = gantry(List.of(), "create", "-p", "80:x", TestImages.BUSYBOX);

        assertThat(unknown).isEqualTo(new Processes.Result(1, "", "gantry: no such container: " + name + "-nosuch\n"));
        assertThat(unreachable.exitCode()).isEqualTo(69);
        assertThat(unreachable.stderr()).startsWith("gantry: cannot reach the engine at "
                + "unix:///nonexistent/docker.sock: ").hasLineCount(1);
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.stderr()).startsWith("gantry: Invalid value for option '--publish'").hasLineCount(1);
    }
}

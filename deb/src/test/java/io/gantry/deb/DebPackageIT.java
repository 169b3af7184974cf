package io.gantry.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an operator meets it: lintian, {@code dpkg -i}, the installed launcher, the installed agent's
 * handshake with a real Mosquitto, then {@code dpkg -r} and {@code dpkg -P} leaving nothing behind.
 *
 * <p>It installs system-wide, so it needs root and refuses to run where a {@code gantry} package is already
 * installed (it would remove it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebPackageIT {

    private static final Path DEB = Path.of(System.getProperty("gantry.deb", "target/gantry_0.1.0_all.deb"));
    private static final List<Path> INSTALLED_PATHS = List.of(Path.of("/usr/bin/gantry"), Path.of("/usr/share/gantry"),
            Path.of("/lib/systemd/system/gantry.service"), Path.of("/usr/share/doc/gantry"),
            Path.of("/usr/share/man/man1/gantry.1.gz"), Path.of("/etc/default/gantry"),
            Path.of("/usr/share/bash-completion/completions/gantry"));

    @TempDir
    static Path work;

    private static Process mosquitto;
    private static int port;

    @BeforeAll
    static void preconditions() throws Exception {
        assertThat(DEB).as("the package built by this module").exists();
        assertThat(run("id", "-u").out().strip()).as("dpkg -i needs root").isEqualTo("0");
        assertThat(run("dpkg-query", "-W", "-f=${Status}", "gantry").out())
                .as("a gantry package is already installed here; this test would remove it")
                .doesNotContain("install ok installed");
        port = freePort();
        mosquitto = new ProcessBuilder("mosquitto", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(work.resolve("mosquitto.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> run("mosquitto_pub", "-p", Integer.toString(port),
                "-t", "gantry/test", "-m", "ping").code() == 0);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
        // Leave the machine as it was even when a step failed half-way.
        run("dpkg", "-P", "gantry");
    }

    @Test
    @Order(1)
    void lintian_reportsNoErrors() throws Exception {
        Result lintian = run("lintian", "--tag-display-limit", "0", DEB.toString());

        assertThat(lintian.out().lines().filter(l -> l.startsWith("E: ")).toList()).isEmpty();
    }

    @Test
    @Order(2)
    void install_putsTheLauncherConfigAndUnitInPlace() throws Exception {
        Result install = run("dpkg", "-i", DEB.toString());

        assertThat(install.code()).as(install.out()).isZero();
        assertThat(run("dpkg-query", "-W", "-f=${Status}", "gantry").out()).isEqualTo("install ok installed");
        INSTALLED_PATHS.forEach(p -> assertThat(p).exists());
        assertThat(Path.of("/etc/gantry/config.json")).exists();
        assertThat(Path.of("/etc/gantry/containers")).isDirectory();
        assertThat(Path.of("/var/lib/gantry")).isDirectory();
        assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", "gantry").out())
                .contains("/etc/gantry/config.json").contains("/etc/default/gantry");
        assertThat(Files.readString(Path.of("/lib/systemd/system/gantry.service")))
                .contains("RestartPreventExitStatus=78").contains("Restart=always");
    }

    @Test
    @Order(3)
    void installedGantry_printsItsVersion() throws Exception {
        Result version = run("/usr/bin/gantry", "--version");

        assertThat(version.code()).as(version.out()).isZero();
        assertThat(version.out()).contains("gantry 0.1.0");
    }

    @Test
    @Order(3)
    void install_writesTheCommandsClassDataArchive_andTheCommandsMapIt() throws Exception {
        assertThat(Path.of("/var/lib/gantry/gantry-cli.jsa")).as("written by postinst's gantry ps -a").isNotEmptyFile();

        Result json = run("/usr/bin/gantry", "ps", "-a", "-o", "json");

        // the JVM's notes on the archive never reach a command's output
        assertThat(json.out().strip()).startsWith("[").endsWith("]");
    }

    @Test
    @Order(3)
    void bashCompletion_completesTheSubcommandsAndTheirOptions() throws Exception {
        String script = "source /usr/share/bash-completion/completions/gantry; "
                + "COMP_WORDS=(gantry %s); COMP_CWORD=1; COMP_LINE='gantry %s'; COMP_POINT=${#COMP_LINE}; "
                + "_complete_gantry 2>/dev/null; echo \"${COMPREPLY[@]}\"";
        Result subcommands = run("bash", "-c", script.formatted("do", "do"));
        Result options = run("bash", "-c", script.replace("COMP_CWORD=1", "COMP_CWORD=2")
                .formatted("doctor --ti", "doctor --ti"));

        assertThat(subcommands.out()).as(subcommands.out()).contains("doctor");
        assertThat(options.out()).as(options.out()).contains("--time-status");
    }

    @Test
    @Order(4)
    void installedGantry_validatesTheShippedConfiguration() throws Exception {
        Result validate = run("/usr/bin/gantry", "config", "validate", "/etc/gantry/config.json");

        assertThat(validate.code()).as(validate.out()).isZero();
        assertThat(validate.out()).contains("/etc/gantry/config.json: valid");
    }

    @Test
    @Order(5)
    void installedGantry_refusesAnInvalidConfigurationWithExitCode78() throws Exception {
        Path bad = work.resolve("bad.json");
        Files.writeString(bad, "{\"connection\": {\"keep_alive\": \"20x\"}}");

        Result run = run("/usr/bin/gantry", "run", "--config", bad.toString());

        assertThat(run.code()).isEqualTo(78);
        assertThat(run.out()).contains("connection.keep_alive");
    }

    @Test
    @Order(6)
    void installedAgent_makesItsHandshakeWithTheBroker() throws Exception {
        Path config = work.resolve("config.json");
        Files.writeString(config, """
                {"connection": {"broker_url": "tcp://127.0.0.1:%d"},
                 "state_dir": "%s",
                 "deployment": {"enable": false}}
                """.formatted(port, work.resolve("state")));
        Path requests = work.resolve("requests.txt");
        Process sub = new ProcessBuilder("mosquitto_sub", "-p", Integer.toString(port), "-t", "edge/thing/request",
                "-t", "e/#", "-v").redirectErrorStream(true).redirectOutput(requests.toFile()).start();
        Process agent = new ProcessBuilder("/usr/bin/gantry", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("agent.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(requests).contains("edge/thing/request"));
            run("mosquitto_pub", "-p", Integer.toString(port), "-t", "edge/thing/response", "-m",
                    "{\"deviceId\":\"deb.test:gateway\",\"tenantId\":\"deb-tenant\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(requests)
                    .contains("e/deb-tenant/deb.test:gateway:edge:containers"));
            assertThat(Files.readString(requests)).contains("/features/ContainerFactory");
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
            sub.destroy();
        }
        assertThat(Files.readString(work.resolve("agent.log"))).contains("Gantry started").doesNotContain("ERROR");
    }

    @Test
    @Order(7)
    void installedAgent_servesTheQuickCommandsOnItsSocket_theRestRunInTheCli() throws Exception {
        // The default state_dir, /var/lib/gantry, is where the installed launcher looks for the agent's socket.
        Path config = work.resolve("config-served.json");
        Files.writeString(config, """
                {"connection": {"broker_url": "tcp://127.0.0.1:%d"},
                 "deployment": {"enable": false}}
                """.formatted(port));
        Path socket = Path.of("/var/lib/gantry/cli.sock");
        Path served = work.resolve("served-classes.txt");
        Process agent = new ProcessBuilder("/usr/bin/gantry", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("agent-served.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));

            Result ps = run("env", "GANTRY_JAVA_OPTS=-Xlog:class+load:file=" + served, "/usr/bin/gantry", "ps", "-a",
                    "-o", "json");
            Result missing = run("/usr/bin/gantry", "inspect", "gantry-deb-no-such-container");
            Result missingHere = run("/usr/bin/gantry", "--config", "/etc/gantry/config.json", "inspect",
                    "gantry-deb-no-such-container");

            assertThat(ps.code()).as(ps.out()).isZero();
            assertThat(ps.out().strip()).startsWith("[").endsWith("]");
            assertThat(Files.readString(served)).as("the CLI's JVM forwarded the command")
                    .contains("io.gantry.app.cli.AgentSocket").doesNotContain("picocli.CommandLine ");
            assertThat(missing).isEqualTo(missingHere);
            assertThat(missing.code()).isEqualTo(1);
        } finally {
            agent.destroy();
            agent.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(socket).as("removed when the agent stops").doesNotExist();
        assertThat(Files.readString(work.resolve("agent-served.log"))).doesNotContain("Cannot serve CLI commands")
                .doesNotContain("ERROR");
    }

    @Test
    @Order(7)
    void anAgentWithAnotherStateDir_servesTheCommandsToo_andASecondAgentThereLeavesItsSocketAlone() throws Exception {
        // The operator's configuration file names the state directory: the agent and the CLI both read it there.
        Path etc = Path.of("/etc/gantry/config.json");
        String shipped = Files.readString(etc);
        Path socket = work.resolve("other-state").resolve("cli.sock");
        Path firstLog = work.resolve("agent-other-state.log");
        Path secondLog = work.resolve("agent-second.log");
        Process first = null;
        Process second = null;
        try {
            Files.writeString(etc, """
                    {"connection": {"broker_url": "tcp://127.0.0.1:%d"},
                     "state_dir": "%s",
                     "deployment": {"enable": false}}
                    """.formatted(port, socket.getParent()));
            first = new ProcessBuilder("/usr/bin/gantry", "run").redirectErrorStream(true)
                    .redirectOutput(firstLog.toFile()).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));

            assertForwarded(work.resolve("other-state-classes.txt"));

            second = new ProcessBuilder("/usr/bin/gantry", "run").redirectErrorStream(true)
                    .redirectOutput(secondLog.toFile()).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(secondLog)
                    .contains("Another process already serves CLI commands on " + socket));
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(socket).as("the first agent's socket, left alone by the second").exists();
            assertForwarded(work.resolve("after-second-classes.txt"));
        } finally {
            for (Process agent : new Process[] {second, first}) {
                if (agent != null) {
                    agent.destroy();
                    agent.waitFor(30, TimeUnit.SECONDS);
                }
            }
            Files.writeString(etc, shipped);
        }
        assertThat(socket).as("removed when its agent stops").doesNotExist();
        assertThat(Files.readString(firstLog)).doesNotContain("ERROR");
    }

    /** {@code gantry ps} succeeds, run by the agent: the CLI's JVM (its classes listed in {@code classes}) forwarded it. */
    private static void assertForwarded(Path classes) throws Exception {
        Result ps = run("env", "GANTRY_JAVA_OPTS=-Xlog:class+load:file=" + classes, "/usr/bin/gantry", "ps", "-a");

        assertThat(ps.code()).as(ps.out()).isZero();
        assertThat(ps.out()).startsWith("CONTAINER ID");
        assertThat(Files.readString(classes)).as("the CLI's JVM forwarded the command")
                .contains("io.gantry.app.cli.AgentSocket").doesNotContain("picocli.CommandLine ");
    }

    @Test
    @Order(8)
    void remove_keepsTheConfigurationAndPurge_leavesNothingBehind() throws Exception {
        Result remove = run("dpkg", "-r", "gantry");

        assertThat(remove.code()).as(remove.out()).isZero();
        assertThat(run("dpkg-query", "-W", "-f=${Status}", "gantry").out()).isEqualTo("deinstall ok config-files");
        assertThat(Path.of("/etc/gantry/config.json")).exists();
        assertThat(Path.of("/usr/bin/gantry")).doesNotExist();

        Result purge = run("dpkg", "-P", "gantry");

        assertThat(purge.code()).as(purge.out()).isZero();
        INSTALLED_PATHS.forEach(p -> assertThat(p).doesNotExist());
        assertThat(Path.of("/etc/gantry")).doesNotExist();
        assertThat(Path.of("/var/lib/gantry")).doesNotExist();
        assertThat(leftoversOfTheUnit()).isEmpty();
    }

    /** Symlinks and state that deb-systemd-helper makes for an enabled unit. */
    private static List<Path> leftoversOfTheUnit() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : List.of(Path.of("/etc/systemd/system"), Path.of("/var/lib/systemd/deb-systemd-helper-enabled"),
                Path.of("/var/lib/systemd/deb-systemd-helper-masked"))) {
            if (Files.isDirectory(root)) {
                try (var walk = Files.walk(root)) {
                    walk.filter(p -> p.getFileName().toString().contains("gantry")).forEach(found::add);
                }
            }
        }
        return found;
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

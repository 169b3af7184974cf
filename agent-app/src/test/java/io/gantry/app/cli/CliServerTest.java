package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.gantry.core.testing.LogCapture;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's command socket against the fake engine: served commands print and exit exactly as run in the CLI. */
class CliServerTest {

    private static final String IMAGE = "gantry-test/busybox:1";
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final FakeContainerEngine fake = new FakeContainerEngine(Clock.fixed(NOW.minusSeconds(300),
            ZoneOffset.UTC)).withImage(IMAGE);
    private final List<AgentConfig> configs = new CopyOnWriteArrayList<>();
    private final EngineFactory engines = c -> {
        configs.add(c);
        return fake;
    };
    @TempDir
    Path dir;
    private CliServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path serve() {
        Path socket = dir.resolve(AgentSocket.FILE_NAME);
        server = CliServer.start(socket, engines, CLOCK).orElseThrow();
        return socket;
    }

    private record Forwarded(OptionalInt exit, String out, String err) {
    }

    private static Forwarded forward(Path socket, String dockerHost, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OptionalInt exit = AgentSocket.forward(socket, args, dockerHost, out, err);
        return new Forwarded(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void running(String name) {
        ContainerId id = fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName(name))
                .build(), Map.of());
        fake.start(id);
    }

    @Test
    void servedCommands_printAndExitAsTheyDoInTheCli() throws IOException {
        running("web");
        running("db");
        Path socket = serve();

        for (String[] args : List.of(new String[] {"ps"}, new String[] {"-o", "json", "ps", "-a"},
                new String[] {"inspect", "web"}, new String[] {"inspect", "nosuch"},
                new String[] {"stop", "--time", "soon", "web"}, new String[] {"stop", "-t", "0", "db", "nosuch"})) {
            Forwarded served = forward(socket, "unix:///run/test.sock", args);
            CliRun local = CliRun.of(engines, TransportFactory.hiveMq(), CLOCK, withHost(args));
            assertThat(served.exit()).as(String.join(" ", args)).hasValue(local.exit());
            assertThat(served.out()).as(String.join(" ", args)).isEqualTo(local.out());
            assertThat(served.err()).as(String.join(" ", args)).isEqualTo(local.err());
        }
        assertThat(forward(socket, null, "ps").exit()).hasValue(ExitCodes.OK);
    }

    private static String[] withHost(String[] args) {
        String[] all = new String[args.length + 2];
        all[0] = "-H";
        all[1] = "unix:///run/test.sock";
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Test
    void theCallersDockerHost_namesTheEngine() throws IOException {
        Path socket = serve();

        forward(socket, "tcp://10.0.0.9:2375", "ps");

        assertThat(configs).last().extracting(c -> c.engine().host()).isEqualTo("tcp://10.0.0.9:2375");
    }

    @Test
    void commandsNotServed_andAbsentAgents_leaveTheCommandToTheCli() throws IOException {
        Path socket = serve();

        assertThat(forward(socket, null, "create", IMAGE).exit()).isEmpty();
        assertThat(forward(socket, null, "--config", "/etc/x.json", "ps").exit()).isEmpty();
        assertThat(forward(socket, null, "ps", "--config=x.json").exit()).isEmpty();
        assertThat(forward(dir.resolve("none.sock"), null, "ps").exit()).isEmpty();
        assertThat(configs).isEmpty();
    }

    @Test
    void aRequestOfAnotherVersion_isDeclinedUntouched() throws IOException {
        Path socket = serve();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream request = new DataOutputStream(Channels.newOutputStream(channel));
            request.writeUTF(AgentSocket.MAGIC);
            request.writeUTF("0.0.0-other");
            request.writeUTF("");
            request.writeInt(1);
            request.writeUTF("ps");
            request.flush();

            assertThat(Channels.newInputStream(channel).readAllBytes()).containsExactly(AgentSocket.DECLINED);
        }
        assertThat(configs).isEmpty();
    }

    @Test
    void garbage_closesThatConnectionOnly() throws IOException {
        Path socket = serve();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(channel).write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            channel.shutdownOutput();

            assertThat(Channels.newInputStream(channel).readAllBytes()).isEmpty();
        }
        assertThat(forward(socket, null, "ps").exit()).hasValue(ExitCodes.OK);
    }

    @Test
    void theSocket_isTheOwnersOnly_andGoneAfterClose() throws IOException {
        Path socket = serve();

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                .isEqualTo("rw-------");
        server.close();
        server = null;
        assertThat(socket).doesNotExist();
    }

    @Test
    void aSecondAgentOnTheSameStateDir_leavesTheFirstsSocketAlone_andSaysSo() throws IOException {
        Path socket = serve();
        running("web");

        try (LogCapture log = LogCapture.of(CliServer.class)) {
            assertThat(CliServer.start(socket, c -> fake, CLOCK)).isEmpty();
            assertThat(log.at(Level.WARN)).singleElement().asString()
                    .contains("Another process already serves CLI commands on " + socket)
                    .contains("state_dir " + dir);
        }
        Forwarded ps = forward(socket, null, "ps");
        assertThat(ps.exit()).hasValue(ExitCodes.OK);
        assertThat(ps.out()).contains("web");
    }

    @Test
    void aStaleSocketFile_isReplaced() throws IOException {
        Path socket = dir.resolve(AgentSocket.FILE_NAME);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        serve();

        assertThat(forward(socket, null, "ps").exit()).hasValue(ExitCodes.OK);
    }

    @Test
    void closing_leavesASocketThatIsNotItsOwn() throws IOException {
        Path socket = serve();
        Files.delete(socket);
        CliServer other = CliServer.start(socket, engines, CLOCK).orElseThrow();
        try {
            server.close();
            server = null;

            assertThat(socket).exists();
            assertThat(forward(socket, null, "ps").exit()).hasValue(ExitCodes.OK);
        } finally {
            other.close();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void theSocket_isInTheConfiguredStateDir_elseThePackagesDefault() throws IOException {
        Path fallback = dir.resolve("packaged-state").resolve(AgentSocket.FILE_NAME);
        Path config = dir.resolve("config.json");
        Map<String, Path> rows = new java.util.LinkedHashMap<>();
        rows.put("{\"state_dir\": \"/srv/gantry\"}", Path.of("/srv/gantry/cli.sock"));
        rows.put("// edited by hand\n{\"log\": {\"state_dir\": \"/nested\"}, \"state_dir\": \"/srv/g\",}",
                Path.of("/srv/g/cli.sock"));
        rows.put("{\"engine\": {\"host\": \"unix:///x.sock\"}}", fallback);
        rows.put("{\"state_dir\": \"relative/dir\"}", fallback);
        rows.put("{\"state_dir\": 7}", fallback);
        rows.put("{\"state_dir\": ", fallback);
        rows.put("[\"state_dir\", \"/srv\"]", fallback);
        rows.put("", fallback);
        for (Map.Entry<String, Path> row : rows.entrySet()) {
            Files.writeString(config, row.getKey());
            assertThat(AgentSocket.socketFor(config, fallback)).as(row.getKey()).isEqualTo(row.getValue());
        }
        assertThat(AgentSocket.socketFor(dir.resolve("missing.json"), fallback)).isEqualTo(fallback);
        assertThat(AgentSocket.socketFor(dir, fallback)).isEqualTo(fallback);
    }

    @Test
    void anAgentInThePackagesStateDir_isAskedWithoutReadingTheConfiguration() throws IOException {
        Path packaged = serve();
        Path config = Files.writeString(dir.resolve("config.json"), "{\"state_dir\": \"/srv/gantry\"}");

        assertThat(AgentSocket.socketFor(config, packaged)).isEqualTo(packaged);
    }

    @Test
    void whichCommandsAreServed() {
        assertThat(AgentSocket.served(List.of("ps"))).isTrue();
        assertThat(AgentSocket.served(List.of("-H", "unix:///x", "-ojson", "stop", "-t", "0", "a"))).isTrue();
        assertThat(AgentSocket.served(List.of("--output=json", "rm", "-f", "a"))).isTrue();
        assertThat(AgentSocket.served(List.of("--help"))).isFalse();
        assertThat(AgentSocket.served(List.of())).isFalse();
        assertThat(AgentSocket.served(List.of("logs", "-f", "a"))).isFalse();
        assertThat(AgentSocket.served(List.of("run"))).isFalse();
        assertThat(AgentSocket.subcommand(List.of("--config", "c.json", "-o", "json", "ps"))).hasValue("ps");
        assertThat(AgentSocket.subcommand(List.of("--config=c.json", "-Hunix:///x", "help", "ps"))).hasValue("help");
        assertThat(AgentSocket.subcommand(List.of("--verbose", "ps"))).isEmpty();
    }
}

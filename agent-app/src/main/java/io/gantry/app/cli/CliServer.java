package io.gantry.app.cli;

import io.gantry.core.Version;
import io.gantry.core.concurrent.Threads;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the quick commands of the {@code gantry} CLI ({@link AgentSocket#SERVED}) inside the running agent, on the
 * unix socket {@code state_dir/cli.sock} ({@link AgentSocket} has the protocol), so that such a command costs a small
 * JVM that forwards its arguments rather than one that loads picocli and docker-java (docs/benchmarks.md).
 *
 * <p>Each command runs exactly as in the CLI's JVM: the same picocli model from {@link GantryCommand#commandLine},
 * engines opened by the same {@link EngineFactory} and closed after the command, the caller's {@code DOCKER_HOST};
 * its standard output and error go back as they are printed, its exit code last. A request from another version of
 * Gantry, or for a command not served, is declined untouched. Only root and the agent's own user may connect (the
 * socket file is 0600, and the peer's credentials are checked); a request must arrive within
 * {@link #REQUEST_DEADLINE_SECONDS}. Nothing a client sends can stop the agent: every failure is logged and only that
 * connection is closed. At most {@link #THREADS} commands run at once; more wait.
 */
public final class CliServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CliServer.class);
    static final int THREADS = 2;
    static final int REQUEST_DEADLINE_SECONDS = 5;

    private final Path socket;
    /** The socket file this server made (its inode), so that closing never removes another agent's. */
    private final Object fileKey;
    private final ServerSocketChannel server;
    private final EngineFactory engines;
    private final Clock clock;
    private final ExecutorService commands = Threads.pool("gantry-cli", THREADS);
    private final ScheduledExecutorService deadlines = Threads.scheduled("gantry-cli-deadline");
    private final Thread acceptor;
    private final String ownUser = System.getProperty("user.name");

    private CliServer(Path socket, Object fileKey, ServerSocketChannel server, EngineFactory engines, Clock clock) {
        this.socket = socket;
        this.fileKey = fileKey;
        this.server = server;
        this.engines = engines;
        this.clock = clock;
        this.acceptor = new Thread(this::accept, "gantry-cli-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket}; empty, with a warning logged, when it cannot (the CLI then runs every command
     * itself). A stale file there, left by an agent that died, is replaced; a socket on which another agent answers
     * (two agents sharing one {@code state_dir}) is left to that agent, and this one serves no commands.
     */
    public static Optional<CliServer> start(Path socket, EngineFactory engines, Clock clock) {
        try {
            if (answers(socket)) {
                LOG.warn("Another process already serves CLI commands on {}: do two agents share the state_dir {}? "
                        + "This agent leaves that socket alone and serves no CLI commands; give each agent a "
                        + "state_dir of its own", socket, socket.getParent());
                return Optional.empty();
            }
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            Object fileKey;
            try {
                // Two agents starting at once: the later bind fails (the file exists) rather than replacing it.
                server.bind(UnixDomainSocketAddress.of(socket));
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                fileKey = fileKey(socket);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            CliServer cli = new CliServer(socket, fileKey, server, engines, clock);
            cli.acceptor.start();
            LOG.debug("Serving CLI commands on {}", socket);
            return Optional.of(cli);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot serve CLI commands on {} ({}); every gantry command starts its own engine client",
                    socket, e.toString());
            return Optional.empty();
        }
    }

    /** Whether something accepts connections on {@code socket} (a file left by a dead agent refuses them). */
    private static boolean answers(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Object fileKey(Path socket) throws IOException {
        return Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("CLI socket {}: accept failed: {}", socket, e.toString());
                continue;
            }
            try {
                commands.execute(() -> serve(client));
            } catch (RuntimeException e) {
                // Rejected: the agent is stopping.
                closeQuietly(client);
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            if (!allowed(client)) {
                return;
            }
            ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(client), REQUEST_DEADLINE_SECONDS,
                    TimeUnit.SECONDS);
            AgentSocket.Request request;
            try {
                request = AgentSocket.Request.read(Channels.newInputStream(client));
            } finally {
                deadline.cancel(false);
            }
            DataOutputStream answer = new DataOutputStream(Channels.newOutputStream(client));
            if (!request.version().equals(Version.current()) || !AgentSocket.served(request.args())) {
                LOG.debug("Declined CLI request {} from version {}", request.args(), request.version());
                answer.writeByte(AgentSocket.DECLINED);
                answer.flush();
                return;
            }
            answer.writeByte(AgentSocket.ACCEPTED);
            answer.flush();
            int exit = run(request, answer);
            synchronized (answer) {
                answer.writeByte(AgentSocket.EXIT);
                answer.writeInt(exit);
                answer.flush();
            }
        } catch (IOException e) {
            LOG.debug("CLI connection ended: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("CLI command failed in the agent: {}", e.toString(), e);
        }
    }

    private int run(AgentSocket.Request request, DataOutputStream answer) {
        String dockerHost = request.dockerHost().isEmpty() ? null : request.dockerHost();
        picocli.CommandLine cli = GantryCommand.commandLine(engines, TransportFactory.hiveMq(), clock,
                name -> "DOCKER_HOST".equals(name) ? dockerHost : null);
        PrintWriter out = new PrintWriter(new FrameStream(answer, AgentSocket.OUT), true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(new FrameStream(answer, AgentSocket.ERR), true, StandardCharsets.UTF_8);
        cli.setOut(out);
        cli.setErr(err);
        int exit = cli.execute(request.args().toArray(String[]::new));
        out.flush();
        err.flush();
        return exit;
    }

    /** Only root and the agent's own user; the file's mode says the same, this holds if someone changes it. */
    private boolean allowed(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            if (user.equals("root") || user.equals(ownUser)) {
                return true;
            }
            LOG.warn("CLI socket {}: refused a connection of user {}", socket, user);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("CLI socket {}: cannot read the peer's credentials ({}); connection refused", socket,
                    e.toString());
        }
        return false;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing a CLI connection failed: {}", e.toString());
        }
    }

    /**
     * Stops listening, removes the socket file (unless another agent's has taken its place) and lets running
     * commands finish (up to 5 s).
     */
    @Override
    public void close() {
        try {
            server.close();
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && fileKey(socket).equals(fileKey)) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            LOG.debug("Closing the CLI socket {} failed: {}", socket, e.toString());
        }
        Threads.shutdown(commands, 5);
        deadlines.shutdownNow();
    }

    /** The bytes written, sent as frames of one kind; one frame per write, so output reaches the CLI as it comes. */
    private static final class FrameStream extends OutputStream {

        private final DataOutputStream answer;
        private final byte kind;

        FrameStream(DataOutputStream answer, byte kind) {
            this.answer = answer;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            synchronized (answer) {
                answer.writeByte(kind);
                answer.writeInt(length);
                answer.write(bytes, offset, length);
                answer.flush();
            }
        }
    }
}

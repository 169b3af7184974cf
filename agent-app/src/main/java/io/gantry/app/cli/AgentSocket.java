package io.gantry.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.gantry.core.Version;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The CLI's side of the running agent's command socket ({@link CliServer}), and the protocol both sides speak. It
 * uses only the JDK, jackson-core's parser and Gantry's version, so that a command the agent serves starts no
 * picocli, logback, Jackson databind or docker-java in the CLI's JVM.
 *
 * <p>Protocol (version 1). Request: {@code writeUTF} of {@link #MAGIC}, of Gantry's version, of the caller's
 * {@code DOCKER_HOST} ("" when unset), then {@code writeInt} of the argument count and {@code writeUTF} of each
 * argument. Answer: {@link #DECLINED} alone (nothing was run; the CLI runs the command itself), or
 * {@link #ACCEPTED} (the command runs from here on) followed by frames of one kind byte: {@link #OUT} and
 * {@link #ERR} with {@code writeInt} length and that many bytes, and last {@link #EXIT} with {@code writeInt} exit
 * code. An answer broken off after {@link #ACCEPTED} fails the command; it is never run a second time.
 */
public final class AgentSocket {

    /** The socket's file name in {@code state_dir}. */
    public static final String FILE_NAME = "cli.sock";
    /**
     * System property naming the socket the CLI forwards to when the configuration file names no {@code state_dir}
     * ({@link #socketFor}); unset, the CLI runs every command itself. The package's launcher sets it to
     * {@code /var/lib/gantry/cli.sock}.
     */
    public static final String SOCKET_PROPERTY = "gantry.cli.socket";
    /**
     * The commands the agent serves: quick ones that read no file, no standard input and log nothing of their own, so
     * that they behave the same in either JVM. Everything else ({@code run}, {@code create}, {@code logs},
     * {@code apply}, {@code doctor}, …) and any command with {@code --config} runs in the CLI's JVM.
     */
    public static final Set<String> SERVED = Set.of("ps", "inspect", "start", "stop", "pause", "resume", "rename",
            "rm");
    /** The configuration key of the state directory (docs/configuration.md). */
    private static final String STATE_DIR_KEY = "state_dir";
    static final String MAGIC = "gantry-cli/1";
    static final int MAX_ARGS = 256;
    static final byte ACCEPTED = 'A';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    static final byte DECLINED = 'D';
    /** The global options that take a value, which may stand before the subcommand. */
    private static final Set<String> VALUED_OPTIONS = Set.of("-H", "--host", "-o", "--output", "--config");

    private AgentSocket() {
    }

    /**
     * The socket of the running agent: {@code packaged}, the socket in the package's default state directory, when
     * it is there (the usual case, which reads no file); else {@code cli.sock} in the {@code state_dir} that
     * {@code config} sets (an absolute path); else {@code packaged}. Only that key is read, with jackson-core's
     * streaming parser and the configuration file's leniency (comments, trailing commas), so that a forwarded command
     * stays a small JVM; a missing, unreadable or malformed file gives {@code packaged} (a command run in the CLI's
     * JVM reports the file's problems itself).
     */
    public static Path socketFor(Path config, Path packaged) {
        if (Files.exists(packaged) || !Files.isRegularFile(config)) {
            return packaged;
        }
        JsonFactory json = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
        try (JsonParser parser = json.createParser(config.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return packaged;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (STATE_DIR_KEY.equals(key)) {
                    Path dir = value == JsonToken.VALUE_STRING ? Path.of(parser.getText()) : null;
                    return dir != null && dir.isAbsolute() ? dir.resolve(FILE_NAME) : packaged;
                }
                parser.skipChildren();
            }
        } catch (IOException | InvalidPathException e) {
            // Unreadable or malformed: the package's default place.
        }
        return packaged;
    }

    /**
     * Runs {@code args} in the agent listening on {@code socket}, copying what the command prints to {@code out} and
     * {@code err}; empty when the command is not one the agent serves, no agent answers there, or the agent declined
     * it: the caller then runs the command itself, nothing having been done.
     */
    public static OptionalInt forward(Path socket, String[] args, String dockerHost, OutputStream out,
                                      OutputStream err) throws IOException {
        if (!served(List.of(args)) || !Files.exists(socket)) {
            // No file, no agent: and opening a unix socket costs this JVM its security providers (JDK 17).
            return OptionalInt.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (UnsupportedOperationException e) {
            return OptionalInt.empty();
        }
        try (channel) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                // No agent (no socket, or a stale one), or not allowed to reach it: the command runs here.
                return OptionalInt.empty();
            }
            DataOutputStream request = new DataOutputStream(Channels.newOutputStream(channel));
            request.writeUTF(MAGIC);
            request.writeUTF(Version.current());
            request.writeUTF(dockerHost == null ? "" : dockerHost);
            request.writeInt(args.length);
            for (String arg : args) {
                request.writeUTF(arg);
            }
            request.flush();
            return answer(new DataInputStream(Channels.newInputStream(channel)), out, err);
        }
    }

    private static OptionalInt answer(DataInputStream in, OutputStream out, OutputStream err) throws IOException {
        int kind;
        try {
            kind = in.readUnsignedByte();
        } catch (EOFException e) {
            // The agent closed before taking the command (it is stopping, say): nothing ran there.
            return OptionalInt.empty();
        }
        if (kind != ACCEPTED) {
            return OptionalInt.empty();
        }
        // From here on the command runs in the agent: it must never run a second time here.
        try {
            while (true) {
                kind = in.readUnsignedByte();
                switch (kind) {
                    case OUT, ERR -> {
                        OutputStream target = kind == OUT ? out : err;
                        target.write(in.readNBytes(in.readInt()));
                        target.flush();
                    }
                    case EXIT -> {
                        return OptionalInt.of(in.readInt());
                    }
                    default -> throw new IOException("unexpected frame " + kind);
                }
            }
        } catch (IOException e) {
            err.write(("gantry: the agent broke off the command (" + e + "); see its log\n")
                    .getBytes(StandardCharsets.UTF_8));
            err.flush();
            return OptionalInt.of(ExitCodes.FAILED);
        }
    }

    /**
     * Whether the agent serves this command line: its subcommand ({@link #subcommand}) is one of {@link #SERVED}, and
     * no {@code --config} appears (a file path is the caller's to read).
     */
    static boolean served(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--config") || arg.startsWith("--config=")) {
                return false;
            }
        }
        return subcommand(args).filter(SERVED::contains).isPresent();
    }

    /**
     * The subcommand a command line names: its first word after any global {@code -H}, {@code -o} and
     * {@code --config} options; empty when there is none or another option stands before it.
     */
    static Optional<String> subcommand(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (VALUED_OPTIONS.contains(arg)) {
                i++;
            } else if (arg.startsWith("--host=") || arg.startsWith("--output=") || arg.startsWith("--config=")
                    || (arg.length() > 2 && (arg.startsWith("-H") || arg.startsWith("-o")))) {
                continue;
            } else if (arg.startsWith("-")) {
                return Optional.empty();
            } else {
                return Optional.of(arg);
            }
        }
        return Optional.empty();
    }

    /** A request as {@link CliServer} reads it. */
    record Request(String version, String dockerHost, List<String> args) {

        /** Reads and checks a request; {@link IOException} for anything but the protocol above. */
        static Request read(InputStream stream) throws IOException {
            DataInputStream in = new DataInputStream(stream);
            if (!MAGIC.equals(in.readUTF())) {
                throw new IOException("not a gantry CLI request");
            }
            String version = in.readUTF();
            String dockerHost = in.readUTF();
            int count = in.readInt();
            if (count < 0 || count > MAX_ARGS) {
                throw new IOException("argument count " + count + " out of 0.." + MAX_ARGS);
            }
            List<String> args = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                args.add(in.readUTF());
            }
            return new Request(version, dockerHost, List.copyOf(args));
        }
    }
}

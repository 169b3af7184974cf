package io.gantry.app;

import io.gantry.app.cli.AgentSocket;
import io.gantry.app.cli.CommandLogging;
import io.gantry.app.cli.EngineFactory;
import io.gantry.app.cli.GantryCommand;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.config.AgentConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalInt;

/**
 * The {@code gantry} command: hands a quick command to the running agent when it serves them ({@link AgentSocket}),
 * and otherwise parses the command line and runs the subcommand against the Docker engine itself.
 */
public final class Main {

    /** The engine every command talks to, in the CLI's JVM or served by the agent: docker-java's adapter. */
    public static EngineFactory engines() {
        return config -> new DockerContainerEngine(() -> config);
    }

    private Main() {
    }

    public static void main(String[] args) {
        OptionalInt served = forwardToAgent(args);
        if (served.isEmpty()) {
            CommandLogging.configure(args);
        }
        int exit = served.isPresent() ? served.getAsInt()
                : GantryCommand.commandLineFor(args, engines(), Clock.systemUTC()).execute(args);
        System.exit(exit);
    }

    /** The exit code of the command as the agent ran it; empty when it is to run here. */
    private static OptionalInt forwardToAgent(String[] args) {
        String socket = System.getProperty(AgentSocket.SOCKET_PROPERTY, "");
        if (socket.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return AgentSocket.forward(AgentSocket.socketFor(AgentConfig.DEFAULT_PATH, Path.of(socket)), args, System.getenv("DOCKER_HOST"),
                    new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
        } catch (IOException e) {
            // The agent broke off mid-request before accepting it, or a write failed: nothing ran there.
            return OptionalInt.empty();
        }
    }
}

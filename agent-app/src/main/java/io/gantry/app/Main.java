package io.gantry.app;

import io.gantry.app.cli.GantryCommand;
import io.gantry.app.docker.DockerContainerEngine;
import java.time.Clock;

/** The {@code gantry} command: parses the command line and runs the subcommand against the Docker engine. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exit = GantryCommand.commandLine(config -> new DockerContainerEngine(() -> config), Clock.systemUTC())
                .execute(args);
        System.exit(exit);
    }
}

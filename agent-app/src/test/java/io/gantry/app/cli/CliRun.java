package io.gantry.app.cli;

import io.gantry.app.docker.DockerContainerEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import picocli.CommandLine;

/** Runs {@code gantry} in-process through picocli and keeps what it printed. */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(EngineFactory engines, Clock clock, String... args) {
        return of(GantryCommand.commandLine(engines, clock), args);
    }

    /** On the Docker engine that {@code --config}'s {@code engine.host} names, as the packaged CLI runs. */
    public static CliRun onDocker(String... args) {
        return of(config -> new DockerContainerEngine(() -> config), Clock.systemUTC(), args);
    }

    /** With the MQTT connection of {@code apply} and {@code state} opened by {@code transports}. */
    public static CliRun of(EngineFactory engines, TransportFactory transports, Clock clock, String... args) {
        return of(GantryCommand.commandLine(engines, transports, clock), args);
    }

    /** With the model the CLI's own JVM builds for {@code args} ({@link GantryCommand#commandLineFor}). */
    public static CliRun once(EngineFactory engines, Clock clock, String... args) {
        return of(GantryCommand.commandLineFor(args, engines, clock), args);
    }

    private static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}

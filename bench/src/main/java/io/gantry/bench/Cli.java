package io.gantry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Group 5: how quick the packaged CLI answers an operator, against the docker CLI on the same containers of the same
 * engine, alternated in one run: {@code ps}, {@code inspect} and {@code stop -t 0} (each stop is undone, untimed, by
 * a {@code docker start}), first with the agent running (it serves these commands on its socket), then without it.
 * The first command after the package's files change writes the commands' class-data archive; it is timed apart.
 */
final class Cli {

    private static final int CONTAINERS = 10;

    private final Rig rig;
    private final boolean quick;

    Cli(Rig rig, boolean quick) {
        this.rig = rig;
        this.quick = quick;
    }

    void run(Report report) {
        rig.stopAgent();
        rig.removeAll();
        for (int i = 0; i < CONTAINERS; i++) {
            rig.engine().docker("run", "-d", "--name", "cli-" + i, "--label", Rig.LABEL + "=" + rig.label(),
                    Rig.IMAGE, "sleep", "3600");
        }
        Map<String, String> engine = rig.engine().environment();
        try {
            Files.deleteIfExists(rig.agent().cliArchive());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double first = time(rig.agent().command(engine, "ps", "-a"));
        if (!Files.exists(rig.agent().cliArchive())) {
            throw new IllegalStateException("the first command wrote no class-data archive");
        }
        int repetitions = quick ? 7 : 21;
        Report.Table table = report.table("CLI: command spawned → exited, " + CONTAINERS + " running containers ("
                        + repetitions + "×, alternated)",
                "command", "gantry median", "gantry p90", "docker median", "docker p90", "gantry / docker");
        // As on a gateway, where the service runs: the agent serves the quick commands on its socket.
        rig.startAgent("2s");
        if (!Files.exists(rig.agent().stateDir().resolve("cli.sock"))) {
            throw new IllegalStateException("the agent opened no CLI socket");
        }
        measure(table, engine, repetitions, " (agent running)");
        // No agent: every command starts its own engine client (the fallback).
        rig.stopAgent();
        measure(table, engine, repetitions, " (no agent)");
        table.note("gantry: the package's launcher, the commands' class-data archive mapped; the first command after "
                + "install (it writes the archive, postinst runs it) took " + Report.ms(first) + ".");
        table.note("Both talk to the bench's private engine through DOCKER_HOST; output is discarded.");
        report.add(table);
        rig.removeAll();
    }

    private void measure(Report.Table table, Map<String, String> engine, int repetitions, String setting) {
        Samples gantryPs = new Samples();
        Samples dockerPs = new Samples();
        Samples gantryInspect = new Samples();
        Samples dockerInspect = new Samples();
        Samples gantryStop = new Samples();
        Samples dockerStop = new Samples();
        for (int r = 0; r < repetitions; r++) {
            String name = "cli-" + (r % CONTAINERS);
            gantryPs.add(time(rig.agent().command(engine, "ps")));
            dockerPs.add(time(docker(engine, "ps")));
            gantryInspect.add(time(rig.agent().command(engine, "inspect", name)));
            dockerInspect.add(time(docker(engine, "inspect", name)));
            gantryStop.add(time(rig.agent().command(engine, "stop", "-t", "0", name)));
            rig.engine().docker("start", name);
            dockerStop.add(time(docker(engine, "stop", "-t", "0", name)));
            rig.engine().docker("start", name);
        }
        row(table, "ps" + setting, gantryPs, dockerPs);
        row(table, "inspect NAME" + setting, gantryInspect, dockerInspect);
        row(table, "stop -t 0 NAME" + setting, gantryStop, dockerStop);
    }

    private static void row(Report.Table table, String command, Samples gantry, Samples docker) {
        table.row(command, Report.ms(gantry.median()), Report.ms(gantry.percentile(90)), Report.ms(docker.median()),
                Report.ms(docker.percentile(90)), Report.ratio(gantry.median() / docker.median()));
    }

    private static ProcessBuilder docker(Map<String, String> environment, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    /** Milliseconds from spawning the command to its exit; a failed command fails the bench. */
    private static double time(ProcessBuilder command) {
        command.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            long start = System.nanoTime();
            Process process = command.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.command() + " did not finish within 60 s");
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command.command() + " exited with " + process.exitValue() + ": "
                        + new String(process.getErrorStream().readAllBytes()).strip());
            }
            return millis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

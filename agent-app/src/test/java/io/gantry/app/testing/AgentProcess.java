package io.gantry.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real agent in a JVM of its own, started the way {@code bin/gantry run --config FILE} starts it (the packaged jar
 * with its runtime dependencies), so that a test can kill it with SIGKILL, as a crash or a power cut would, and start
 * it again. Its output goes to a log file the test can read.
 */
public final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** {@code java -cp target/agent-app-VERSION.jar:target/lib/* io.gantry.app.Main run --config FILE}. */
    public static AgentProcess start(Path configFile, Path log) {
        return start(configFile, log, List.of());
    }

    /** The same, with more options of {@code gantry run} ({@code --embedded-broker}, …). */
    public static AgentProcess start(Path configFile, Path log, List<String> runOptions) {
        return start(List.of("-XX:TieredStopAtLevel=1"), configFile, log, runOptions);
    }

    /** The agent under the Debian package's JVM options (heap, code cache, stack size, exit on OOM). */
    public static AgentProcess startAsPackaged(Path configFile, Path log) {
        return start(PackagedGantry.debianJvmOptions(), configFile, log, List.of());
    }

    private static AgentProcess start(List<String> jvmOptions, Path configFile, Path log, List<String> runOptions) {
        List<String> args = new ArrayList<>(List.of("--config", configFile.toString(), "run"));
        args.addAll(runOptions);
        List<String> command = PackagedGantry.command(jvmOptions, args.toArray(String[]::new));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new AgentProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or cleaned up. */
    public void kill() {
        process.destroyForcibly();
        await();
    }

    /** What the agent (and every earlier agent logging to the same file) printed. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd stops the service. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            await();
        }
    }

    private void await() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

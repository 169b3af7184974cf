package io.gantry.app.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short external commands (docker, ip, kill) for integration tests, failing loudly when one fails. */
public final class Processes {

    /** What a finished command printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Processes() {
    }

    /** A TCP port on the loopback interface that nothing listens on right now. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Asks a long-running process to end (SIGTERM) and kills it when it has not within {@code seconds}. */
    public static void stop(Process process, long seconds) {
        process.destroy();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command and returns its trimmed standard output; a non-zero exit is an {@link AssertionError}. */
    public static String run(String... command) {
        return run(Map.of(), command);
    }

    public static String run(Map<String, String> environment, String... command) {
        Result result = attempt(environment, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
        return result.stdout().strip();
    }

    /** Runs a command and returns whatever happened. */
    public static Result attempt(Map<String, String> environment, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            Path out = java.nio.file.Files.createTempFile("gantry-cmd", ".out");
            Path err = java.nio.file.Files.createTempFile("gantry-cmd", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
                }
                return new Result(process.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                        java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                java.nio.file.Files.deleteIfExists(out);
                java.nio.file.Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** {@code docker [-H host] args…}. */
    public static String docker(String host, String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        if (host != null) {
            command.addAll(List.of("-H", host));
        }
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }
}

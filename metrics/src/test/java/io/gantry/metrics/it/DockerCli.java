package io.gantry.metrics.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts and removes the tests' containers with the {@code docker} CLI. Every container gets the label
 * {@code io.gantry.test=<run>} and a name starting with the run's prefix; {@link #removeAll()} removes exactly those.
 */
public final class DockerCli implements AutoCloseable {

    public static final String IMAGE = "gantry-test/busybox:1";

    private final String run;
    private final String prefix;

    public DockerCli(String testName) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        this.run = "metrics-" + testName + "-" + tag;
        this.prefix = "gmx-" + tag + "-";
        ensureImage();
    }

    /** Names of this run's containers start with this. */
    public String prefix() {
        return prefix;
    }

    /** {@code docker run -d} with this run's name prefix and label; returns the full id. */
    public String start(String name, List<String> options, String... command) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", prefix + name, "--label",
                "io.gantry.test=" + run));
        args.addAll(options);
        args.add(IMAGE);
        args.addAll(List.of(command));
        return docker(args.toArray(String[]::new)).trim();
    }

    public String docker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    @Override
    public void close() {
        removeAll();
    }

    public void removeAll() {
        String ids = docker("ps", "-aq", "--filter", "label=io.gantry.test=" + run).trim();
        if (!ids.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            docker(args.toArray(String[]::new));
        }
    }

    private static synchronized void ensureImage() {
        try {
            exec(List.of("docker", "image", "inspect", IMAGE));
        } catch (IllegalStateException missing) {
            Path script = Path.of("..", "bin", "build-test-image");
            if (!Files.isExecutable(script)) {
                script = Path.of("bin", "build-test-image");
            }
            exec(List.of(script.toString(), IMAGE));
        }
    }

    private static String exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

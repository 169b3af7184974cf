package io.gantry.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged {@code gantry} command as {@code bin/gantry} runs it: {@code java -cp agent-app.jar:lib/*
 * io.gantry.app.Main}, from {@code target/} after the package phase, with every runtime jar on the class path.
 */
public final class PackagedGantry {

    private PackagedGantry() {
    }

    /**
     * The JVM options of the Debian package's launcher ({@code DEFAULT_OPTS} in {@code deb/src/deb/bin/gantry}), read
     * from the script itself so that a test runs under exactly what a gateway runs.
     */
    public static List<String> debianJvmOptions() {
        try {
            String script = Files.readString(Path.of("..", "deb", "src", "deb", "bin", "gantry"));
            Matcher options = Pattern.compile("DEFAULT_OPTS=\"([^\"]*)\"").matcher(script);
            if (!options.find()) {
                throw new AssertionError("no DEFAULT_OPTS in the launcher");
            }
            return List.of(options.group(1).replace("\\\n", " ").trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line for {@code gantry args…} with {@code jvmOptions} before the main class. */
    public static List<String> command(List<String> jvmOptions, String... args) {
        Path target = Path.of("target");
        Path jar;
        try (Stream<Path> jars = Files.list(target)) {
            jar = jars.filter(p -> p.getFileName().toString().matches("agent-app-.*\\.jar")
                    && !p.getFileName().toString().contains("tests")).findFirst()
                    .orElseThrow(() -> new AssertionError("no agent-app jar in " + target.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", jar + ":" + target.resolve("lib") + "/*", "io.gantry.app.Main"));
        command.addAll(List.of(args));
        return command;
    }
}

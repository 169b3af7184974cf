package io.gantry.app.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The JVM options of the Debian package's launcher, read from its source, as a gateway runs the agent. */
    public static List<String> debianJvmOptions() {
        try {
            return defaultJvmOptions(Files.readString(Path.of("..", "deb", "src", "deb", "bin", "gantry")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The options of {@code DEFAULT_OPTS="…"} in the text of the launcher script {@code bin/gantry}. */
    public static List<String> defaultJvmOptions(String launcherScript) {
        Matcher options = Pattern.compile("DEFAULT_OPTS=\"([^\"]*)\"").matcher(launcherScript);
        if (!options.find()) {
            throw new IllegalStateException("the launcher has no DEFAULT_OPTS");
        }
        return Arrays.stream(options.group(1).replace("\\\n", " ").split("\\s+")).filter(o -> !o.isBlank())
                .toList();
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

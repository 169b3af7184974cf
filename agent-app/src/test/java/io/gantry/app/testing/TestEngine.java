package io.gantry.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An engine of a test class's own that speaks the Docker Engine API ({@link PrivateEngine}, {@link PodmanEngine}),
 * with the {@code docker} CLI pointed at it for what a test sets up and checks by hand.
 */
public interface TestEngine extends AutoCloseable {

    /** The engine's URL, for {@code engine.host} and {@code docker -H}. */
    String host();

    /** The environment for a docker CLI talking to this engine, with a client configuration of its own. */
    Map<String, String> environment();

    @Override
    void close();

    /** {@code docker args…} against this engine; a non-zero exit fails the test. */
    default String docker(String... args) {
        return Processes.run(environment(), command(args));
    }

    /** {@code docker args…} against this engine, whatever happens. */
    default Processes.Result attempt(String... args) {
        return Processes.attempt(environment(), command(args));
    }

    private static String[] command(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(Arrays.asList(args));
        return command.toArray(String[]::new);
    }

    /** Builds {@code tag} from a Dockerfile whose base is the test image, e.g. {@code CMD ["echo", "hi"]}. */
    default void build(String tag, String... dockerfileLines) {
        try {
            Path context = Files.createTempDirectory("gantry-build-");
            try {
                Files.writeString(context.resolve("Dockerfile"), "FROM " + TestImages.BUSYBOX + "\n"
                        + String.join("\n", dockerfileLines) + "\n");
                docker("build", "-q", "-t", tag, context.toString());
            } finally {
                Processes.run("rm", "-rf", context.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docker inspect} of one container, or null when it does not exist. */
    default JsonNode inspect(String nameOrId) {
        Processes.Result result = attempt("container", "inspect", nameOrId);
        if (result.exitCode() != 0) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(result.stdout()).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docker inspect} of every container, by name (without Docker's leading slash). */
    default Map<String, JsonNode> inspectAll() {
        String ids = docker("ps", "-aq", "--no-trunc");
        Map<String, JsonNode> all = new TreeMap<>();
        for (String id : ids.isBlank() ? List.<String>of() : List.of(ids.split("\\s+"))) {
            JsonNode c = inspect(id);
            if (c != null) {
                all.put(c.path("Name").asText().replaceFirst("^/", ""), c);
            }
        }
        return all;
    }

    /** The names of every container. */
    default List<String> names() {
        return List.copyOf(inspectAll().keySet());
    }
}

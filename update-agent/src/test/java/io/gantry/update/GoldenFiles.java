package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.update.protocol.UpdateCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a message with its golden file in {@code src/test/resources/golden} as JSON trees (field order free, array
 * order significant). With {@code -Dgolden.write=true} the file is rewritten from the actual message first, for a
 * deliberate change whose diff is then reviewed.
 */
public final class GoldenFiles {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private GoldenFiles() {
    }

    public static void assertGolden(String name, JsonNode actual) {
        Path file = GOLDEN.resolve(name + ".json");
        try {
            if (Boolean.getBoolean("golden.write")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(file, UpdateCodec.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(actual) + "\n");
            }
            JsonNode expected = UpdateCodec.mapper().readTree(file.toFile());
            assertThat(actual).as("golden file %s", file).isEqualTo(expected);
        } catch (IOException e) {
            throw new AssertionError("cannot read golden file " + file, e);
        }
    }

    public static JsonNode read(String name) {
        try {
            return UpdateCodec.mapper().readTree(GOLDEN.resolve(name + ".json").toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read golden file " + name, e);
        }
    }
}

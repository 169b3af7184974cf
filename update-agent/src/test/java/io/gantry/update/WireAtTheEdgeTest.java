package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine room speaks domain: no class of a domain package imports the Kanto wire package {@code protocol}. */
class WireAtTheEdgeTest {

    private static final Path SOURCES = Path.of("src/main/java/io/gantry/update");

    @ParameterizedTest
    @ValueSource(strings = {"desired", "plan", "operation", "journal", "images", "deployment"})
    void domainPackage_importsNothingFromProtocol(String pkg) throws IOException {
        Path dir = SOURCES.resolve(pkg);
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(WireAtTheEdgeTest::importsProtocol).map(f -> f.getFileName().toString()).toList();
            assertThat(offenders).as("classes of %s importing io.gantry.update.protocol", pkg).isEmpty();
        }
    }

    private static boolean importsProtocol(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("import io.gantry.update.protocol."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.gantry.core.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kanto's own test cases as data ({@code ../shared/reference/kanto-cases/} next to the project's root, on CI too):
 * read where they are, never copied into the project. A missing folder fails the test that needs it, loudly.
 */
public final class KantoCases {

    private static final String FOLDER = "shared/reference/kanto-cases";

    private KantoCases() {
    }

    /** The folder, found above the working directory (a module's directory when Maven runs its tests). */
    public static Path folder() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling(FOLDER);
            if (p.getParent() != null && Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        throw new AssertionError("cannot find ../" + FOLDER + " above " + Path.of("").toAbsolutePath()
                + " (Kanto's cases live next to the project's root)");
    }

    /** The texts of a JSON array. */
    public static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** One case file, e.g. {@code kanto-cm/cua-unit.json}. */
    public static JsonNode read(String file) {
        try {
            return new ObjectMapper().readTree(folder().resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

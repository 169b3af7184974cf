package io.gantry.core.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden JSON files on the test classpath, compared as JSON trees <em>and</em> in key order: the actual value must
 * serialise to exactly the compact form of the file, so a reordered or extra key fails as a changed value does.
 */
public final class GoldenJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GoldenJson() {
    }

    /** Reads {@code resource} (a classpath path such as {@code golden/create-request.json}). */
    public static JsonNode read(String resource) {
        try (InputStream in = GoldenJson.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + resource + " on the test classpath");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden file as compact bytes, e.g. as an inbound MQTT payload. */
    public static byte[] bytes(String resource) {
        try {
            return MAPPER.writeValueAsBytes(read(resource));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    /**
     * Asserts that {@code actual} equals the golden file, tree and key order. A missing golden file fails the test;
     * the actual value is then written to {@code target/golden-actual/<resource>}, for review before it is copied
     * into the test resources.
     */
    public static void assertMatches(String resource, JsonNode actual) {
        if (GoldenJson.class.getClassLoader().getResource(resource) == null) {
            Path out = Path.of("target", "golden-actual", resource);
            try {
                Files.createDirectories(out.getParent());
                Files.writeString(out, pretty(actual) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new AssertionError("no golden file " + resource + "; the actual value is in " + out.toAbsolutePath());
        }
        JsonNode expected = read(resource);
        assertThat(pretty(actual)).as("JSON compared with %s", resource).isEqualTo(pretty(expected));
    }

    public static void assertMatches(String resource, String actualJson) {
        assertMatches(resource, parse(actualJson));
    }

    private static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

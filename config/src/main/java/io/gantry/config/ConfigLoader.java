package io.gantry.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the configuration file: JSON over the defaults ({@link AgentConfig#DEFAULTS}), every key checked, every
 * problem reported at once with its JSON path.
 *
 * <p>The file is edited by hand, so the reader is lenient about form and strict about meaning: {@code //} and
 * {@code /* *}{@code /} comments and trailing commas are allowed; unknown keys, wrong types, duplicate keys and
 * values that mean nothing are errors. Kanto's daemon ignores unknown keys and falls back to defaults on bad values
 * (reference/kanto-cua.md §5); Gantry reports them, because a misspelt key that silently does nothing is the hardest
 * configuration mistake to find on a remote gateway.
 */
public final class ConfigLoader {

    /** Far larger than any real configuration file: this only stops Gantry reading a wrong path's huge file. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigLoader() {
    }

    /**
     * Loads a file that must exist, e.g. one given with {@code --config} or to {@code gantry config validate}.
     *
     * @throws ConfigException listing every problem, including a missing, unreadable or empty file
     */
    public static AgentConfig load(Path file) throws ConfigException {
        return parse(read(file), file.toString());
    }

    /**
     * Loads the file at the default location, {@link AgentConfig#DEFAULT_PATH} or another path that an operator did
     * not name explicitly: when there is no file, the defaults apply (as in Kanto). A file that exists but is empty
     * or invalid is still an error.
     */
    public static AgentConfig loadOrDefaults(Path file) throws ConfigException {
        return Files.notExists(file) ? AgentConfig.DEFAULTS : load(file);
    }

    /**
     * Reads configuration text; {@code source} names it in the exception (a file name, or e.g. {@code <stdin>}).
     *
     * @throws ConfigException listing every problem
     */
    public static AgentConfig parse(String json, String source) throws ConfigException {
        return parse(json.getBytes(StandardCharsets.UTF_8), source);
    }

    /** Reads a file's bytes for {@link #parse(byte[], String)}, turning every way of failing into a problem. */
    static byte[] read(Path file) throws ConfigException {
        try {
            if (Files.isDirectory(file)) {
                throw fileProblem(file, "is a directory, not a file", null);
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw fileProblem(file, "is larger than 1 MiB; this is not a configuration file", null);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw fileProblem(file, "file not found", e);
        } catch (IOException e) {
            throw fileProblem(file, "cannot be read: " + e, e);
        }
    }

    static AgentConfig parse(byte[] content, String source) throws ConfigException {
        JsonNode root;
        try {
            root = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(syntaxProblem(e)), e);
        } catch (IOException e) {
            throw new ConfigException(source, List.of(new ConfigProblem("", "cannot be read: " + e)), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(source, List.of(new ConfigProblem("", "file is empty (expected a JSON object,"
                    + " e.g. {} for all defaults)")));
        }
        if (!root.isObject()) {
            throw new ConfigException(source, List.of(new ConfigProblem("", "expected a JSON object ({ … }), got "
                    + ConfigBinder.describe(root))));
        }
        Problems problems = new Problems();
        AgentConfig config = new ConfigBinder(problems).bind(root);
        new ConfigRules(problems).check(config);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems.inFileOrder());
        }
        return config;
    }

    /** Checks a configuration built in code against the same rules as a loaded one. */
    public static List<ConfigProblem> validate(AgentConfig config) {
        Problems problems = new Problems();
        new ConfigRules(problems).check(config);
        return problems.list();
    }

    private static ConfigProblem syntaxProblem(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? ": " : " at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        String what = String.valueOf(e.getOriginalMessage());
        if (what.startsWith("Trailing token")) {
            what = "more content after the closing } of the configuration";
        } else if (what.startsWith("Duplicate ")) {
            what = what.replaceAll("^Duplicate [A-Za-z ]*'(.*)'$", "duplicate key \"$1\"");
        } else {
            // "Unexpected character ('}' (code 125)): was expecting ..." reads better without the character code.
            what = what.replaceAll(" \\(code \\d+\\)", "");
        }
        return new ConfigProblem("", "syntax error" + where + what);
    }

    private static ConfigException fileProblem(Path file, String message, Throwable cause) {
        return new ConfigException(file.toString(), List.of(new ConfigProblem("", message)), cause);
    }
}

package io.gantry.kanto.json;

import java.util.Objects;

/**
 * A container JSON (Kanto's {@code config} object or a container descriptor) cannot be used. The message names the
 * field by its path ({@code config.portMappings[0].hostPort}) and says what form was expected.
 *
 * <p>{@link Kind#WRONG_TYPE} means the JSON cannot be read into the format at all (Kanto's Go decoder fails, which
 * Kanto reports as a bad parameter); {@link Kind#INVALID_VALUE} means it was read but a value is not acceptable
 * (Kanto's validation fails, reported as a failed execution).
 */
public final class DescriptorException extends IllegalArgumentException {

    /** Why the JSON was refused. */
    public enum Kind { WRONG_TYPE, INVALID_VALUE }

    private final Kind kind;
    private final String path;

    public DescriptorException(Kind kind, String path, String problem, Throwable cause) {
        super(path.isEmpty() ? problem : path + ": " + problem, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = path;
    }

    public Kind kind() {
        return kind;
    }

    /** The field's path, empty for the document itself. */
    public String path() {
        return path;
    }
}

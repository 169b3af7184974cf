package io.gantry.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file: the JSON path of the key ({@code connection.keep_alive},
 * {@code things.features[2]}, {@code registries["myreg:5000"].credentials.password}; empty for the file as a whole)
 * and what was expected there. The message never contains a secret's value.
 */
public record ConfigProblem(String path, String message) {

    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code connection.keep_alive: "20x" is not a duration (e.g. 20s, 1m)}. */
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}

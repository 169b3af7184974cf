package io.gantry.update.protocol;

import io.gantry.core.container.ContainerName;
import java.util.List;
import java.util.Objects;

/**
 * What becomes of a component's value that Kanto drops or reads as its default (reference/kanto-cua.md §2.2, §2.4):
 * it is dropped, or read as that default, with a warning naming the component, the key and the value; in strict mode
 * ({@code update_agent.strict}) it fails the desired state instead.
 *
 * <p>Not thread-safe: one instance serves one component's mapping.
 */
final class Lenience {

    private final ContainerName component;
    private final boolean strict;
    private final List<String> warnings;

    Lenience(ContainerName component, boolean strict, List<String> warnings) {
        this.component = Objects.requireNonNull(component, "component");
        this.strict = strict;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * A value Kanto drops: recorded as a warning, or rethrown in strict mode.
     *
     * @param instead what Gantry does instead, e.g. {@code "dropped"} or {@code "read as false"}
     */
    void tolerate(ConfigKey key, String value, String instead, IllegalArgumentException problem) {
        if (strict) {
            throw problem;
        }
        warnings.add("component " + component + ": " + key.wireName() + " \"" + value + "\" is " + instead + " ("
                + problem.getMessage() + ")");
    }

    void warn(String warning) {
        warnings.add("component " + component + ": " + warning);
    }
}

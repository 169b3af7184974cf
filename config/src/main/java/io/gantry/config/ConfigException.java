package io.gantry.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used, with every problem found in it. The message names the source and then lists
 * the problems one per line, ready to be printed to an operator.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<ConfigProblem> problems;

    public ConfigException(String source, List<ConfigProblem> problems) {
        this(source, problems, null);
    }

    public ConfigException(String source, List<ConfigProblem> problems, Throwable cause) {
        super(message(source, problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration exception needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file (or other source) the configuration was read from. */
    public String source() {
        return source;
    }

    /** Every problem found, section by section in the order of the default file. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(String source, List<ConfigProblem> problems) {
        String header = problems.size() == 1 ? source + ": 1 problem" : source + ": " + problems.size() + " problems";
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n", header + "\n", ""));
    }
}

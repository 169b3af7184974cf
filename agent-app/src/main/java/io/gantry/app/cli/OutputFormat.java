package io.gantry.app.cli;

/** How a command prints its result: a table (or key-value lines) for people, JSON for scripts. */
public enum OutputFormat {
    TABLE, JSON
}

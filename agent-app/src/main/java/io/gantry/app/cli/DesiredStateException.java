package io.gantry.app.cli;

/**
 * A desired-state file that {@code gantry apply} cannot send: not JSON, of an unknown shape, or refused by the checks
 * the update agent would make. The message names the file and the JSON path of the problem.
 */
final class DesiredStateException extends RuntimeException {

    DesiredStateException(String source, String path, String problem, Throwable cause) {
        super(source + (path.isEmpty() ? "" : ": " + path) + ": " + problem, cause);
    }
}

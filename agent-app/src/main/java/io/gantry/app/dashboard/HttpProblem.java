package io.gantry.app.dashboard;

/**
 * A request the dashboard refuses, with the status and the short plain message the browser gets: never a stack trace,
 * never a secret.
 */
final class HttpProblem extends RuntimeException {

    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    int status() {
        return status;
    }
}

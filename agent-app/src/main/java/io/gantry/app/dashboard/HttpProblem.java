package io.gantry.app.dashboard;

/**
 * A request the dashboard refuses, with the status and the short plain message the browser gets: never a stack trace,
 * never a secret.
 */
final class HttpProblem extends RuntimeException {

    private final int status;
    private final String contentType;

    HttpProblem(int status, String message) {
        this(status, message, "text/plain; charset=utf-8");
    }

    /** A refusal whose body is not plain text (the form's errors by field, as JSON). */
    HttpProblem(int status, String message, String contentType) {
        super(message, null, false, false);
        this.contentType = java.util.Objects.requireNonNull(contentType, "contentType");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }
}

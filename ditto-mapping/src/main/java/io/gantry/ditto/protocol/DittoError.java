package io.gantry.ditto.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The error object of a Ditto error reply: exactly {@code {"error":<code>,"status":<int>,"message":<text>}}, in that
 * order and with no {@code description} (reference/kanto-things.md §2.4). The status is the contract; the codes are
 * Kanto's three.
 */
public record DittoError(String code, int status, String message) {

    public static final String PARAMETER_INVALID = "messages:parameter.invalid";
    public static final String SUBJECT_NOT_FOUND = "messages:subject.notfound";
    public static final String EXECUTION_FAILED = "messages:execution.failed";

    public DittoError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + status);
        }
    }

    /** 400: bad envelope or headers, unknown feature, wrong argument types. */
    public static DittoError parameterInvalid(String message) {
        return new DittoError(PARAMETER_INVALID, 400, message);
    }

    /**
     * 403: the operator's policy or trust rules refuse the operation (docs/trust.md). The code stays Kanto's
     * {@code execution.failed}, so that clients that know only Kanto's three codes read it as a failure.
     */
    public static DittoError forbidden(String message) {
        return new DittoError(EXECUTION_FAILED, 403, message);
    }

    /** 404: unknown thing, unknown operation. */
    public static DittoError subjectNotFound(String message) {
        return new DittoError(SUBJECT_NOT_FOUND, 404, message);
    }

    /** 500: the operation was tried and failed. */
    public static DittoError executionFailed(String message) {
        return new DittoError(EXECUTION_FAILED, 500, message);
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("error", code).put("status", status).put("message", message);
    }
}

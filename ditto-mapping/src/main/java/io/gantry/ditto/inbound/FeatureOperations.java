package io.gantry.ditto.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import java.util.Optional;

/**
 * What a feature does with the operations sent to it: the pluggable part of a feature (a feature is an id, a
 * definition, its properties and these operations).
 *
 * <p>Threading: {@link #invoke} runs on the command pool, one operation at a time per {@link #key}, never on an
 * MQTT thread; it may block. Failures: throw a {@link DittoException} for a known error, or any exception that
 * {@link DittoErrors#from} maps (wrong argument types give 400, refused or failed operations 500).
 */
public interface FeatureOperations {

    /**
     * Runs an operation.
     *
     * @return the result, sent with status 200; empty for 204
     */
    Optional<JsonNode> invoke(Operation operation);

    /**
     * Operations with equal keys run one after another, in arrival order; different keys run in parallel. By
     * default all operations of one feature share a key.
     */
    default Object key(Operation operation) {
        return operation.featureId();
    }

    /** Kanto's answer to an operation a feature does not have: 404 "unsupported operation <name>". */
    static DittoException unsupported(Operation operation) {
        return new DittoException(DittoError.subjectNotFound("unsupported operation " + operation.name()));
    }

    /** A feature without operations: every operation is unsupported. */
    static FeatureOperations none() {
        return operation -> {
            throw unsupported(operation);
        };
    }
}

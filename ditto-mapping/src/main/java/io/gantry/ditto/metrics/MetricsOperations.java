package io.gantry.ditto.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.ditto.inbound.FeatureOperations;
import io.gantry.ditto.inbound.Operation;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import io.gantry.metrics.request.InvalidRequestException;
import io.gantry.metrics.request.MetricsRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The operations of the {@code Metrics} feature (reference/kanto-things.md §3.4): {@code request} reads its value as
 * Kanto does, hands the request to the reporter and answers 204; a request that cannot be read gets Kanto's 400, and
 * any other operation 404 "unsupported operation <name>". Requests run one after another in arrival order (one key
 * for the feature), so the last one wins.
 */
public final class MetricsOperations implements FeatureOperations {

    /** The only operation of the feature. */
    public static final String REQUEST = "request";

    private final Consumer<MetricsRequest> requests;

    /** @param requests takes each valid request and returns at once ({@code MetricsReporter::request}) */
    public MetricsOperations(Consumer<MetricsRequest> requests) {
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    @Override
    public Optional<JsonNode> invoke(Operation operation) {
        if (!operation.name().equals(REQUEST)) {
            throw FeatureOperations.unsupported(operation);
        }
        MetricsRequest request;
        try {
            request = MetricsRequest.parse(operation.value().orElse(null));
        } catch (InvalidRequestException e) {
            throw new DittoException(DittoError.parameterInvalid(e.getMessage()), e);
        }
        requests.accept(request);
        return Optional.empty();
    }
}

package io.gantry.ditto.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation the cloud asked of a feature: the message subject taken from the envelope's path
 * ({@code /features/<featureId>/inbox/messages/<name>}) and its {@code value}, absent when the envelope had none or
 * {@code null}.
 */
public record Operation(String featureId, String name, Optional<JsonNode> value, String correlationId) {

    public Operation {
        Objects.requireNonNull(featureId, "featureId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(correlationId, "correlationId");
        value = Objects.requireNonNull(value, "value").filter(v -> !v.isNull());
    }
}

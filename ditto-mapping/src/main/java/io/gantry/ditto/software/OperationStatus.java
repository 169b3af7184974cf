package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The progress of an install or remove, published as {@code lastOperation} (and, for a failure, also as
 * {@code lastFailedOperation}) of the SoftwareUpdatable feature (reference/kanto-things.md §3.3).
 */
public record OperationStatus(String correlationId, Status status, Optional<SoftwareModule> softwareModule,
                              List<DependencyDescription> software, Optional<String> message) {

    /** The hawkBit SUv2 statuses Kanto emits. */
    public enum Status {
        STARTED, DOWNLOADING, DOWNLOADED, INSTALLING, INSTALLED, REMOVING, REMOVED, FINISHED_SUCCESS, FINISHED_ERROR,
        FINISHED_REJECTED
    }

    public OperationStatus {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(softwareModule, "softwareModule");
        software = List.copyOf(software);
        message = Objects.requireNonNull(message, "message").filter(m -> !m.isEmpty());
    }

    public static OperationStatus ofModule(String correlationId, Status status, SoftwareModule module) {
        return new OperationStatus(correlationId, status, Optional.of(module), List.of(), Optional.empty());
    }

    public static OperationStatus ofSoftware(String correlationId, Status status, List<DependencyDescription> software) {
        return new OperationStatus(correlationId, status, Optional.empty(), software, Optional.empty());
    }

    public OperationStatus with(Status newStatus) {
        return new OperationStatus(correlationId, newStatus, softwareModule, software, message);
    }

    public OperationStatus withMessage(String newMessage) {
        return new OperationStatus(correlationId, status, softwareModule, software, Optional.ofNullable(newMessage));
    }

    /** Keys in Kanto's order; {@code progress} and {@code statusCode} are never set, as in Kanto. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("correlationId", correlationId);
        json.put("status", status.name());
        softwareModule.ifPresent(m -> json.set("softwareModule", m.toJson()));
        if (!software.isEmpty()) {
            ArrayNode items = json.putArray("software");
            software.forEach(d -> items.add(d.toJson()));
        }
        message.ifPresent(m -> json.put("message", m));
        return json;
    }
}

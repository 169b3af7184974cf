package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.kanto.json.JsonInput;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a SoftwareUpdatable {@code remove}: hawkBit's RemoveAction, whose items name containers by id in
 * {@code name} (reference/kanto-things.md §3.3).
 */
public record RemoveAction(String correlationId, boolean forced, List<DependencyDescription> software) {

    public RemoveAction {
        Objects.requireNonNull(correlationId, "correlationId");
        software = List.copyOf(software);
    }

    public static RemoveAction fromJson(Optional<JsonNode> value) {
        JsonInput root = JsonInput.of(value.orElse(null), "").requireObject();
        List<DependencyDescription> items = new ArrayList<>();
        for (JsonInput item : root.field("software").elements()) {
            item.requireObject();
            items.add(new DependencyDescription(item.field("group").string(""), item.field("name").string(""),
                    item.field("version").string(""), item.field("type").string("")));
        }
        if (items.isEmpty()) {
            throw new DittoException(DittoError.parameterInvalid("there are no DependencyDescriptions to be removed"));
        }
        return new RemoveAction(root.field("correlationId").string(""), root.field("forced").bool(false), items);
    }
}

package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A software node of the inventory: the agent itself ({@code APPLICATION}) or a container ({@code CONTAINER}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireSoftwareNode(String id, String version, String name, List<WireKeyValue> parameters, String type) {

    public WireSoftwareNode {
        parameters = Wire.list(parameters);
    }
}

package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The payload of {@code <prefix>/currentstate} (§4); the containers agent never reports hardware nodes. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireInventory(List<WireSoftwareNode> softwareNodes, List<WireAssociation> associations) {

    public WireInventory {
        softwareNodes = Wire.list(softwareNodes);
        associations = Wire.list(associations);
    }
}

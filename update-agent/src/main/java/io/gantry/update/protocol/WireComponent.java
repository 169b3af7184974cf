package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A component of a desired-state domain: for the containers domain, one container. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireComponent(String id, String version, List<WireKeyValue> config) {

    public WireComponent {
        id = id == null ? "" : id;
        version = version == null ? "" : version;
        config = Wire.list(config);
    }
}

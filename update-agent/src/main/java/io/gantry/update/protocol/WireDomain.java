package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One domain of a desired state: its id, its domain-wide config and its components. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireDomain(String id, List<WireKeyValue> config, List<WireComponent> components) {

    public WireDomain {
        id = id == null ? "" : id;
        config = Wire.list(config);
        components = Wire.list(components);
    }
}

package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A baseline: components updated together, named {@code <domain>:<component>}. Kanto's {@code preconditions} field is
 * not read (the agent does not evaluate it) and so is not declared.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireBaseline(String title, String description, List<String> components) {

    public WireBaseline {
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        components = Wire.list(components);
    }
}

package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A {@code {key, value}} pair of the update protocol (component config, domain config, inventory parameters). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireKeyValue(String key, String value) {

    public WireKeyValue {
        key = key == null ? "" : key;
        value = value == null ? "" : value;
    }
}

package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The component an action is about: {@code <domain>:<name>} and its version. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireComponentRef(String id, String version) {
}

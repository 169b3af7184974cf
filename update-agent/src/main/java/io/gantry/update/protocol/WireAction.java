package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One action of a feedback message; {@code progress} is never set by the containers agent (§1.3). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireAction(WireComponentRef component, String status, Integer progress, String message) {
}

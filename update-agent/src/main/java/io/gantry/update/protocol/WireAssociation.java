package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An inventory edge from the agent node to one container node. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireAssociation(String sourceId, String targetId) {
}

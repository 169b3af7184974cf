package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * The envelope of every update-protocol message (§1.2): the activity it belongs to, when it was written (Unix epoch
 * milliseconds) and the payload. All three fields are always written, as Kanto writes them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WireEnvelope(String activityId, long timestamp, Object payload) {

    public WireEnvelope {
        Objects.requireNonNull(activityId, "activityId");
        Objects.requireNonNull(payload, "payload");
    }
}

package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The payload of {@code <prefix>/desiredstatefeedback}; field order is Kanto's (§1.3). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireFeedback(String baseline, String status, String message, List<WireAction> actions) {

    public WireFeedback {
        actions = Wire.list(actions);
    }
}

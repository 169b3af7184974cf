package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The payload of {@code <prefix>/desiredstate} (reference/kanto-cua.md §1.3). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireDesiredState(List<WireBaseline> baselines, List<WireDomain> domains) {

    public static final WireDesiredState EMPTY = new WireDesiredState(List.of(), List.of());

    public WireDesiredState {
        baselines = Wire.list(baselines);
        domains = Wire.list(domains);
    }
}

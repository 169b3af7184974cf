package io.gantry.update.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The payload of {@code <prefix>/desiredstate/command}: a phase command and the baseline it applies to. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WireCommand(String command, String baseline) {

    public WireCommand {
        command = command == null ? "" : command;
        baseline = baseline == null ? "" : baseline;
    }
}

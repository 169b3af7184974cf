package io.gantry.update.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The journal of the operation in progress, as written to {@code <state_dir>/update-agent/operation.json}.
 * {@code operationId} is unique per operation and is the label value on every container the operation creates.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalRecord(int format, String operationId, String activityId, String domain, String mode,
                            String failure, List<JournalAction> actions) {

    public static final int FORMAT = 1;

    public JournalRecord {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}

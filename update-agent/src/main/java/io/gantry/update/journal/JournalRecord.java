package io.gantry.update.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * The journal of the operation in progress, as written to {@code <state_dir>/update-agent/operation.json}.
 * {@code operationId} is unique per operation and is the label value on every container the operation creates.
 * A record without actions is an activity still being identified: nothing has been changed for it yet.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalRecord(int format, String operationId, String activityId, String domain, String mode,
                            String failure, List<JournalAction> actions) {

    public static final int FORMAT = 1;

    public JournalRecord {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** The record of an activity from its IDENTIFYING on, before it has a plan, so that a restart can end it. */
    public static JournalRecord identifying(String activityId) {
        return new JournalRecord(FORMAT, UUID.randomUUID().toString(), activityId, null, null, null, List.of());
    }

    /** True for a record written by {@link #identifying}: the activity has no plan yet. */
    @JsonIgnore
    public boolean isIdentifying() {
        return actions.isEmpty();
    }
}

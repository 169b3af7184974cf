package io.gantry.update.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One action of a journaled operation: enough to report it and to undo or finish it from the engine's state.
 *
 * <p>{@code oldId} is the container that existed before the operation, {@code before} its run state when the
 * operation first touched it; {@code tempName}/{@code asideName} are the names used
 * during a replacement; {@code intent} is the engine action about to run when the journal was written, {@code done}
 * the ones that completed; {@code touched} says the engine was asked to change something for this action;
 * {@code committed} that its cleanup has begun (it is then finished, never rolled back).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalAction(String kind, String name, String componentId, String version, String status,
                            String message, String oldId, String before, JournalSettings oldSettings,
                            String tempName, String asideName, String newId, String intent, List<String> done,
                            boolean touched, boolean committed, boolean rolledBack) {

    public JournalAction {
        done = done == null ? List.of() : List.copyOf(done);
    }
}

package io.gantry.update.operation;

import java.util.List;
import java.util.Objects;

/**
 * What an operation reports at one point: the stage of the operation or of the baseline it names ({@code ""} for the
 * whole operation, or {@code "*"} when a command named it so), a message, and every action as it stands.
 *
 * <p>Contract: valid once built; {@code message} and {@code baseline} are never null, {@code actions} is a copy.
 */
public record Report(String baseline, Stage stage, String message, List<ActionReport> actions) {

    /** One action as it stands: the component (its {@code <domain>:<name>} id and version), state and message. */
    public record ActionReport(String componentId, String version, ActionState state, String message) {

        public ActionReport {
            Objects.requireNonNull(componentId, "componentId");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(state, "state");
            message = message == null ? "" : message;
        }
    }

    public Report {
        baseline = baseline == null ? "" : baseline;
        Objects.requireNonNull(stage, "stage");
        message = message == null ? "" : message;
        actions = List.copyOf(actions);
    }

    /** A report about the whole activity that names no action (identifying, superseded, refused). */
    public static Report of(Stage stage, String message) {
        return new Report("", stage, message, List.of());
    }
}

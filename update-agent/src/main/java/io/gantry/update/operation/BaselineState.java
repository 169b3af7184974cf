package io.gantry.update.operation;

import java.util.List;
import java.util.Objects;

/**
 * A baseline of an operation (reference/kanto-cua.md §3.4): the actions it groups, in its order, and its status,
 * which decides the commands it accepts. {@code label} is what feedback names as its baseline: the title, or for the
 * whole operation {@code ""} or {@code "*"} as the command gave it.
 */
public final class BaselineState {

    private final String title;
    private final List<Action> actions;
    private Stage status = Stage.IDENTIFIED;
    private String label;

    BaselineState(String title, List<Action> actions) {
        this.title = Objects.requireNonNull(title, "title");
        this.actions = List.copyOf(actions);
        this.label = title;
    }

    public String title() {
        return title;
    }

    public List<Action> actions() {
        return actions;
    }

    public Stage status() {
        return status;
    }

    void status(Stage newStatus) {
        status = Objects.requireNonNull(newStatus, "status");
    }

    String label() {
        return label;
    }

    void label(String newLabel) {
        label = Objects.requireNonNull(newLabel, "label");
    }
}

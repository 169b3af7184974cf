package io.gantry.app.dashboard;

import io.gantry.core.container.Container;
import io.gantry.update.operation.Reconciler;
import io.gantry.update.plan.Ownership;

/** Who manages a container, read from the labels Gantry sets when it creates one (docs/dashboard.md). */
enum Manager {
    DESCRIPTOR_FILE("descriptor file"),
    DESIRED_STATE("desired state"),
    TWIN_COMMAND("twin command"),
    CLI("CLI"),
    /** Managed, created before Gantry labelled the front door. */
    GANTRY("Gantry"),
    BY_HAND("by hand");

    private final String label;

    Manager(String label) {
        this.label = label;
    }

    static Manager of(Container c) {
        if (!c.managed()) {
            return BY_HAND;
        }
        if (Ownership.descriptorFile(c).isPresent()) {
            return DESCRIPTOR_FILE;
        }
        if (c.gantryLabel(Reconciler.COMPONENT_LABEL).isPresent()) {
            return DESIRED_STATE;
        }
        return switch (c.gantryLabel(Container.ORIGIN_LABEL).orElse("")) {
            case "twin" -> TWIN_COMMAND;
            case "cli" -> CLI;
            default -> GANTRY;
        };
    }

    String label() {
        return label;
    }
}

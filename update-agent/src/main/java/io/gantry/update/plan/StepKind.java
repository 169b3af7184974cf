package io.gantry.update.plan;

/** What a plan does with one container, with Kanto's {@code IDENTIFIED} message for it (reference/kanto-cua.md §3.2). */
public enum StepKind {
    CREATE("New container will be created and started."),
    RECREATE("Existing container will be destroyed and replaced by a new one."),
    UPDATE("Existing container will be updated with new configuration."),
    CHECK("No changes detected, existing container will be check only if it is running."),
    DESTROY("Existing container will be destroyed, no longer needed.");

    private final String identifiedMessage;

    StepKind(String identifiedMessage) {
        this.identifiedMessage = identifiedMessage;
    }

    public String identifiedMessage() {
        return identifiedMessage;
    }

    /** True when the step brings a new container (created in DOWNLOAD, started in ACTIVATE). */
    public boolean createsContainer() {
        return this == CREATE || this == RECREATE;
    }
}

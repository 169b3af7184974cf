package io.gantry.update.operation;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.NetworkMode;
import io.gantry.update.plan.StepKind;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One action of an operation: the plan step, its feedback (status and message), and what has been done to the
 * engine for it. Owned by the update agent's owner thread.
 *
 * <p>{@code oldId} is the container that existed before the operation; {@code before} is its run state when the
 * operation first touched it, which is what a rollback restores. A replacement creates the new container under
 * {@code tempName} and sets the old one aside under {@code asideName}. {@code labels} are the Gantry labels the new
 * container gets besides the operation's own; {@code start} false creates it without starting it, and leaves an
 * existing container's run state alone.
 */
public final class Action {

    private final StepKind kind;
    private final ContainerName name;
    private final String componentId;
    private final String version;
    private final Optional<ContainerSpec> desired;
    private final Optional<ContainerId> oldId;
    private final ContainerName tempName;
    private final ContainerName asideName;
    private final Map<String, String> labels;
    private final boolean start;
    private final Set<Effect> done = EnumSet.noneOf(Effect.class);
    private final Set<Phase> phases = EnumSet.noneOf(Phase.class);
    private ActionState status;
    private String message;
    private ContainerId newId;
    private ContainerStatus before;
    private ContainerUpdate oldSettings;
    private String intent;
    private boolean touched;
    private boolean committed;
    private boolean rolledBack;

    Action(StepKind kind, ContainerName name, String componentId, String version, Optional<ContainerSpec> desired,
           Optional<ContainerId> oldId, ContainerName tempName, ContainerName asideName) {
        this(kind, name, componentId, version, desired, oldId, tempName, asideName, Map.of(), true);
    }

    Action(StepKind kind, ContainerName name, String componentId, String version, Optional<ContainerSpec> desired,
           Optional<ContainerId> oldId, ContainerName tempName, ContainerName asideName, Map<String, String> labels,
           boolean start) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        this.componentId = Objects.requireNonNull(componentId, "componentId");
        this.version = Objects.requireNonNull(version, "version");
        this.desired = Objects.requireNonNull(desired, "desired");
        this.oldId = Objects.requireNonNull(oldId, "oldId");
        this.tempName = tempName;
        this.asideName = asideName;
        this.labels = Map.copyOf(labels);
        this.start = start;
        this.status = ActionState.IDENTIFIED;
        this.message = kind.identifiedMessage();
    }

    public StepKind kind() {
        return kind;
    }

    public ContainerName name() {
        return name;
    }

    public String componentId() {
        return componentId;
    }

    public String version() {
        return version;
    }

    public ActionState status() {
        return status;
    }

    public String message() {
        return message;
    }

    Optional<ContainerSpec> desired() {
        return desired;
    }

    ContainerSpec desiredSpec() {
        return desired.orElseThrow(() -> new IllegalStateException(kind + " of " + name + " has no desired spec"));
    }

    Optional<ContainerId> oldId() {
        return oldId;
    }

    ContainerId requireOldId() {
        return oldId.orElseThrow(() -> new IllegalStateException(kind + " of " + name + " has no old container"));
    }

    ContainerName tempName() {
        return tempName;
    }

    ContainerName asideName() {
        return asideName;
    }

    Map<String, String> labels() {
        return labels;
    }

    boolean start() {
        return start;
    }

    Optional<ContainerId> newId() {
        return Optional.ofNullable(newId);
    }

    void newId(ContainerId id) {
        newId = id;
    }

    Optional<ContainerStatus> before() {
        return Optional.ofNullable(before);
    }

    void before(ContainerStatus status) {
        before = status;
    }

    Optional<ContainerUpdate> oldSettings() {
        return Optional.ofNullable(oldSettings);
    }

    void oldSettings(ContainerUpdate settings) {
        oldSettings = settings;
    }

    Optional<String> intent() {
        return Optional.ofNullable(intent);
    }

    Set<Effect> done() {
        return done;
    }

    boolean phaseDone(Phase phase) {
        return phases.contains(phase);
    }

    void markPhaseDone(Phase phase) {
        phases.add(phase);
    }

    Set<Phase> phases() {
        return phases;
    }

    /** The engine is about to be asked to {@code what} for this action. */
    void begin(String what) {
        touched = true;
        intent = what;
    }

    void completed(Effect effect) {
        done.add(effect);
        intent = null;
    }

    boolean touched() {
        return touched;
    }

    boolean committed() {
        return committed;
    }

    void commit() {
        committed = true;
    }

    boolean rolledBack() {
        return rolledBack;
    }

    void rolledBack(boolean value) {
        rolledBack = value;
    }

    /**
     * Whether this action's container is created only when it starts: Docker writes {@code /etc/hosts} at creation,
     * and a {@code container_<x>} address is known only once {@code x} runs (Kanto resolves it at each start).
     */
    boolean createdWhenStarted() {
        return desired.map(s -> s.extraHosts().stream().anyMatch(h -> h.containerReference().isPresent()))
                .orElse(false);
    }

    /** Whether the container uses another container's network or address, which must then exist (and run) first. */
    boolean dependsOnOtherContainers() {
        return createdWhenStarted() || desired.map(s -> s.network().kind() == NetworkMode.Kind.CONTAINER).orElse(false);
    }

    /** Whether a rollback has anything to undo for this action. */
    boolean needsRollback() {
        return touched && !committed && !rolledBack;
    }

    void report(ActionState newStatus, String newMessage) {
        status = Objects.requireNonNull(newStatus, "status");
        message = newMessage == null ? "" : newMessage;
    }

    Report.ActionReport report() {
        return new Report.ActionReport(componentId, version, status, message);
    }

    /** Restores the state journaled for a recovered operation. */
    void restore(ContainerId newContainer, ContainerStatus beforeStatus, ContainerUpdate settings, String pending,
                 Set<Effect> effects, boolean wasTouched, boolean wasCommitted, boolean wasRolledBack) {
        newId = newContainer;
        before = beforeStatus;
        oldSettings = settings;
        intent = pending;
        done.addAll(effects);
        touched = wasTouched;
        committed = wasCommitted;
        rolledBack = wasRolledBack;
    }
}

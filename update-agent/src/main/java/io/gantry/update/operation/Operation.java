package io.gantry.update.operation;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.EnumNames;
import io.gantry.update.desired.Baseline;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.journal.JournalAction;
import io.gantry.update.journal.JournalRecord;
import io.gantry.update.plan.Plan;
import io.gantry.update.plan.Step;
import io.gantry.update.plan.StepKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One update operation: the actions identified for an activity, the baselines that group them and whether it has
 * failed. Owned by the update agent's owner thread.
 *
 * <p>Baselines follow Kanto (reference/kanto-cua.md §2.1 rule 4, §3.4): the desired state's own, one
 * {@code <domain>:<name>} baseline for each desired container no baseline claims, and {@code <domain>:remove-components}
 * for the destroys; the whole operation answers to baseline {@code ""} or {@code "*"} and keeps its own status.
 * The operation ends when every baseline has been cleaned up.
 */
public final class Operation {

    private final String id;
    private final String activityId;
    private final long sequence;
    private final String domain;
    private final String mode;
    private final List<Action> actions;
    private final BaselineState all;
    private final Map<String, BaselineState> pending = new LinkedHashMap<>();
    private final List<String> warnings;
    private boolean failed;
    private String failure = "";
    private boolean keepJournal;
    private String journaledFailure = "";
    private final List<String> problems = new ArrayList<>();

    private Operation(String id, String activityId, long sequence, String domain, String mode, List<Action> actions,
                      List<String> warnings) {
        this.id = Objects.requireNonNull(id, "id");
        this.activityId = Objects.requireNonNull(activityId, "activityId");
        this.sequence = sequence;
        this.domain = domain;
        this.mode = mode;
        this.actions = List.copyOf(actions);
        this.all = new BaselineState("", actions);
        this.warnings = List.copyOf(warnings);
    }

    /** The operation for a planned desired state; nothing has been done yet. */
    public static Operation identified(String activityId, long sequence, DesiredState desired, Plan plan,
                                       ComponentNames names, String mode) {
        String id = UUID.randomUUID().toString();
        String tag = id.substring(0, 8);
        Map<ContainerName, DesiredComponent> components = new LinkedHashMap<>();
        desired.components().forEach(c -> components.put(c.name(), c));
        List<Action> actions = new ArrayList<>();
        for (Step step : plan.steps()) {
            boolean replaces = step.kind() == StepKind.RECREATE;
            Optional<DesiredComponent> component = step.kind() == StepKind.DESTROY ? Optional.empty()
                    : Optional.ofNullable(components.get(step.name()));
            actions.add(new Action(step.kind(), step.name(), names.componentId(step.name().value()), step.version(),
                    step.desired(), step.current().map(Container::id),
                    replaces ? new ContainerName(step.name() + ".gantry-new-" + tag) : null,
                    replaces ? new ContainerName(step.name() + ".gantry-old-" + tag) : null,
                    component.map(DesiredComponent::labels).orElse(Map.of()),
                    component.map(DesiredComponent::start).orElse(true)));
        }
        List<String> warnings = new ArrayList<>(desired.warnings());
        warnings.addAll(plan.warnings());
        Operation op = new Operation(id, activityId, sequence, names.domain(), mode, actions, warnings);
        op.pending.put(names.removeBaseline(), new BaselineState(names.removeBaseline(),
                actions.stream().filter(a -> a.kind() == StepKind.DESTROY).toList()));
        Map<String, ContainerName> unclaimed = new LinkedHashMap<>();
        desired.components().stream().map(DesiredComponent::name).forEach(n -> unclaimed.put(n.value(), n));
        for (Baseline baseline : desired.baselines()) {
            baseline.members().forEach(m -> unclaimed.remove(m.value()));
            op.pending.put(baseline.title(), new BaselineState(baseline.title(), op.actionsOf(baseline.members())));
        }
        for (ContainerName name : unclaimed.values()) {
            String title = names.implicitBaseline(name.value());
            op.pending.put(title, new BaselineState(title, op.actionsOf(List.of(name))));
        }
        return op;
    }

    /** The operation a journal describes, after a restart: it can be rolled back or finished, not carried on. */
    public static Operation recovered(JournalRecord record) {
        List<Action> actions = new ArrayList<>();
        for (JournalAction ja : record.actions()) {
            StepKind kind = StepKind.valueOf(ja.kind());
            Action action = new Action(kind, new ContainerName(ja.name()), ja.componentId(), ja.version(),
                    Optional.empty(), Optional.ofNullable(ja.oldId()).map(ContainerId::new),
                    Optional.ofNullable(ja.tempName()).map(ContainerName::new).orElse(null),
                    Optional.ofNullable(ja.asideName()).map(ContainerName::new).orElse(null));
            action.report(ActionState.forName(ja.status()).orElse(ActionState.IDENTIFIED), ja.message());
            Set<Effect> effects = EnumSet.noneOf(Effect.class);
            ja.done().forEach(done -> EnumNames.exact(Effect.class, done).ifPresent(effects::add));
            action.restore(Optional.ofNullable(ja.newId()).map(ContainerId::new).orElse(null),
                    Optional.ofNullable(ja.before()).flatMap(ContainerStatus::forName).orElse(null),
                    JournalSettingsMapper.toUpdate(ja.oldSettings()), ja.intent(), effects, ja.touched(),
                    ja.committed(), ja.rolledBack());
            actions.add(action);
        }
        Operation op = new Operation(record.operationId(), record.activityId(), 0, record.domain(), record.mode(),
                actions, List.of());
        op.pending.put("", op.all);
        op.journaledFailure = record.failure() == null ? "" : record.failure();
        return op;
    }

    private List<Action> actionsOf(List<ContainerName> names) {
        List<Action> result = new ArrayList<>();
        for (ContainerName name : names) {
            actions.stream().filter(a -> a.kind() != StepKind.DESTROY && a.name().equals(name)).forEach(result::add);
        }
        return result;
    }

    public JournalRecord toJournal() {
        List<JournalAction> journaled = new ArrayList<>();
        for (Action a : actions) {
            List<String> done = new ArrayList<>();
            a.done().forEach(e -> done.add(e.name()));
            a.phases().forEach(p -> done.add("phase:" + p.name()));
            journaled.add(new JournalAction(a.kind().name(), a.name().value(), a.componentId(), a.version(),
                    a.status().name(), a.message(), a.oldId().map(ContainerId::value).orElse(null),
                    a.before().map(ContainerStatus::name).orElse(null),
                    a.oldSettings().map(JournalSettingsMapper::toJournal).orElse(null),
                    a.tempName() == null ? null : a.tempName().value(),
                    a.asideName() == null ? null : a.asideName().value(),
                    a.newId().map(ContainerId::value).orElse(null), a.intent().orElse(null), done, a.touched(),
                    a.committed(), a.rolledBack()));
        }
        return new JournalRecord(JournalRecord.FORMAT, id, activityId, domain, mode, failure.isEmpty() ? null : failure,
                journaled);
    }

    /** What the operation reports now: always the whole action list (§3.4), the baseline as the command named it. */
    public Report report(Stage stage, String message, String baseline) {
        return new Report(baseline, stage, message, actions.stream().map(Action::report).toList());
    }

    /** {@code ""} and {@code "*"} name the whole operation; a baseline that was cleaned up is no longer known. */
    public Optional<BaselineState> baseline(String label) {
        if (label.isEmpty() || label.equals("*")) {
            all.label(label);
            return Optional.of(all);
        }
        return Optional.ofNullable(pending.get(label));
    }

    void cleaned(BaselineState baseline) {
        if (baseline == all) {
            pending.clear();
        } else {
            pending.remove(baseline.title());
        }
    }

    public boolean ended() {
        return pending.isEmpty();
    }

    public String id() {
        return id;
    }

    public String activityId() {
        return activityId;
    }

    public long sequence() {
        return sequence;
    }

    public List<Action> actions() {
        return actions;
    }

    public BaselineState all() {
        all.label("");
        return all;
    }

    public boolean hasActions() {
        return !actions.isEmpty();
    }

    /** What the {@code IDENTIFIED} feedback says besides its actions: what was accepted but ignored. */
    public String warnings() {
        return String.join("; ", warnings);
    }

    public boolean failed() {
        return failed;
    }

    public String failure() {
        return failure;
    }

    /** Records what went wrong without failing the operation (a removal or a rollback step); it ends INCOMPLETE. */
    void problem(String description) {
        problems.add(description);
    }

    /** What the final INCOMPLETE feedback says: why the operation failed, then what else went wrong; or empty. */
    public String outcome() {
        List<String> parts = new ArrayList<>();
        if (!failure.isEmpty()) {
            parts.add(failure);
        }
        parts.addAll(problems);
        return String.join("; ", parts);
    }

    /** Marks the operation failed; the first reason is the one reported. */
    void fail(String reason) {
        if (!failed) {
            failed = true;
            failure = reason;
        }
    }

    /** For a recovered operation: why it had failed before the agent stopped, or empty. */
    String journaledFailure() {
        return journaledFailure;
    }

    boolean keepJournal() {
        return keepJournal;
    }

    /**
     * Notes a failure of the engine work that ends this operation (a rollback, the removal of an old container): when
     * the engine could not be reached, the journal is kept, since only it knows what is left to do (a container set
     * aside under a name of the operation's own), and the next start or operation finishes it.
     */
    void failedToEnd(RuntimeException e) {
        if (e instanceof EngineUnavailableException) {
            keepJournal = true;
        }
    }
}

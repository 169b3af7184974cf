package io.gantry.update.deployment;

import io.gantry.config.DeploymentConfig;
import io.gantry.config.FileWatch;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.ContainerEngine;
import io.gantry.update.desired.DesiredComponent;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.OperationRunner;
import io.gantry.update.journal.JournalRecord;
import io.gantry.update.operation.ComponentNames;
import io.gantry.update.operation.FeedbackSink;
import io.gantry.update.operation.Interrupts;
import io.gantry.update.operation.Operation;
import io.gantry.update.operation.OperationInterrupted;
import io.gantry.core.policy.ContainerRefusedException;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.update.operation.Reconciler;
import io.gantry.update.plan.Ownership;
import io.gantry.update.plan.Plan;
import io.gantry.update.plan.Planner;
import io.gantry.update.plan.StartOrder;
import io.gantry.update.plan.Step;
import io.gantry.update.plan.StepKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys containers from descriptor files (docs/descriptors.md; DESIGN.md, "Descriptor files"): every
 * {@code *.json} file in {@code deployment.directory} describes one container. In {@code update} mode the containers
 * are kept in line with the files at start and whenever a file is added, changed or removed; in {@code init} mode the
 * files are deployed once, at the very first start, which is remembered under the state directory.
 *
 * <p>It drives the engine exactly as the update agent does: the same {@link Planner} decides, and the same
 * {@link Reconciler} replaces containers safely (image pulled first, new container under a temporary name, old one set
 * aside, new one started and settled, old one removed; any failure rolled back): it is a front of an
 * {@link OperationRunner}, whose one journal and update thread it shares with the update agent, and which runs each
 * pass over the files as one task, queued behind the update agent's operations. Each container is its own operation, so a file that fails does not
 * hold back the others; removals go first, so that a successor can take over a removed container's ports. Kanto does
 * this only at start, and never removes anything (reference/kanto-cua.md §6.2, §7.54).
 *
 * <p>Lifecycle: construct it from the configuration and the ports, {@link #start()} it once, {@link #reconfigure}
 * it when {@code deployment.*} changes, {@link #stop()} it once. With a runner of its own, stopping interrupts an
 * operation at its next safe point and leaves it journaled; the next start rolls it back. With a shared runner the
 * composition root starts and stops the runner.
 *
 * <p>Threading: the deployment state belongs to {@code gantry-deploy}, which hands each pass over the files to the
 * runner's update thread and waits for it (so the state is touched by one thread at a time); the engine is called
 * only there and on the runner's pools. The files are read on {@code gantry-deploy-watch}, which only hands snapshots
 * over. The lifecycle methods may be called from any thread.
 */
public final class DescriptorDeployment {

    private static final Logger LOG = LoggerFactory.getLogger(DescriptorDeployment.class);
    /** The state directory's subdirectory for the first-start marker. */
    static final String STATE = "deployment";
    static final String MARKER = "deployed";
    static final String THREAD_NAME = "gantry-deploy";
    private static final String MODE = "deployment";
    private static final ComponentNames NAMES = new ComponentNames(MODE);
    private static final int MAX_BACKOFF_DOUBLINGS = 6;

    private final ContainerEngine engine;
    private final Clock clock;
    private final Path stateDir;
    private final FileWatch.Timing timing;
    private final boolean useEvents;
    private final ScheduledExecutorService owner = Threads.scheduled(THREAD_NAME);
    private final OperationRunner runner;
    private final boolean ownsRunner;
    private final OperationRunner.Front front = new Front();
    /** Completed when the deployment stops: a pass waiting for its turn on the update thread gives up. */
    private final CompletableFuture<Void> stopping = new CompletableFuture<>();
    private final DeploymentConfig initial;
    private boolean started;
    private boolean stopped;

    // Owned by gantry-deploy.
    private DeploymentConfig config;
    private DescriptorWatch watch;
    private long watchGeneration;
    private Snapshot latest;
    private boolean wholePass = true;
    private final Map<String, String> deployed = new HashMap<>();
    private final Map<String, String> reportedInvalid = new HashMap<>();
    private final Set<String> said = new HashSet<>();
    /** Why a file's container is not as the file says (refused, failed, conflict); written here, read by any thread. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private ScheduledFuture<?> retry;
    private int failures;
    private int passes;

    /**
     * A deployment of the descriptor files {@code config} names. {@code replacement} supplies the settle time and
     * health timeout of replacements, which descriptor deployments share with the update agent
     * ({@code update_agent.settle_time}, {@code update_agent.health_timeout}).
     */
    public DescriptorDeployment(DeploymentConfig config, ContainerEngine engine, Clock clock, Path stateDir,
                                Supplier<UpdateAgentConfig> replacement) {
        this(config, engine, clock, stateDir, replacement, FileWatch.Timing.DEFAULTS, true);
    }

    /** With the file-watch timings; {@code useEvents} false watches by polling only (for tests). */
    DescriptorDeployment(DeploymentConfig config, ContainerEngine engine, Clock clock, Path stateDir,
                         Supplier<UpdateAgentConfig> replacement, FileWatch.Timing timing, boolean useEvents) {
        this.initial = Objects.requireNonNull(config, "config");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.useEvents = useEvents;
        this.runner = new OperationRunner(engine, stateDir, Objects.requireNonNull(replacement, "replacement"));
        this.ownsRunner = true;
    }

    /**
     * A deployment that submits its operations to {@code runner}, shared with the update agent; the caller starts
     * and stops the runner.
     */
    public DescriptorDeployment(DeploymentConfig config, ContainerEngine engine, Clock clock, Path stateDir,
                                OperationRunner runner) {
        this.initial = Objects.requireNonNull(config, "config");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
        this.timing = FileWatch.Timing.DEFAULTS;
        this.useEvents = true;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.ownsRunner = false;
    }

    /** Rolls back an operation a previous run left unfinished, then deploys as {@code deployment.*} says. */
    public synchronized void start() {
        if (started || stopped) {
            throw new IllegalStateException("a descriptor deployment is started once; create a new one after stop()");
        }
        started = true;
        runner.register(front);
        if (ownsRunner) {
            runner.start();
        }
        owner.execute(() -> configure(initial));
    }

    /** Stops at the running operation's next safe point (it stays journaled) and releases the threads. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopping.complete(null);
        if (ownsRunner) {
            runner.stop();
        }
        runner.unregister(front);
        owner.execute(() -> {
            // A pending retry would otherwise hold the timer thread's shutdown until it fires.
            cancelRetry();
            closeWatch();
        });
        Threads.shutdown(owner, 30);
        LOG.info("Descriptor deployment stopped");
    }

    /**
     * Applies a changed {@code deployment} section: a new directory or mode is applied at once, as at a start
     * (every file is deployed again, and in init mode only if nothing was deployed before); {@code enable} false
     * stops watching and leaves the containers as they are.
     */
    public synchronized void reconfigure(DeploymentConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        if (started && !stopped) {
            owner.execute(() -> configure(newConfig));
        }
    }

    /**
     * The operator's policy or trust rules changed: files they refused are tried again now, without waiting for the
     * back-off of the retries.
     */
    public synchronized void rulesChanged() {
        if (started && !stopped) {
            owner.execute(() -> {
                failures = 0;
                retry();
            });
        }
    }

    /**
     * Why the container of descriptor file {@code fileName} is not deployed as the file says, as the last pass found:
     * refused by the trust or policy rules, failed and rolled back, or its name held by another container; empty when
     * it is (or the file is unknown, or cannot be used: that problem is the file's own, {@link DescriptorFile}).
     * May be called from any thread.
     */
    public Optional<String> problem(String fileName) {
        return Optional.ofNullable(problems.get(fileName));
    }

    /** How many times the deployment has brought the containers in line with the files (for tests). */
    int passes() {
        try {
            return owner.submit(() -> passes).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the descriptor deployment did not answer", e);
        }
    }

    // ---- on gantry-deploy -------------------------------------------------------------------------------------

    private void configure(DeploymentConfig next) {
        if (next.equals(config) || stopping.isDone()) {
            return;
        }
        config = next;
        closeWatch();
        cancelRetry();
        latest = null;
        wholePass = true;
        failures = 0;
        if (!next.enable()) {
            LOG.info("Descriptor deployment is disabled; containers deployed from descriptor files are left as they"
                    + " are");
        } else if (next.mode().equals(DeploymentConfig.INIT)) {
            if (Files.exists(marker())) {
                LOG.info("Descriptor deployment in init mode: the files in {} were deployed at the first start, so"
                        + " nothing is done now", next.directory());
            } else {
                LOG.info("Descriptor deployment in init mode: deploying the files in {} once", next.directory());
                deploy(Snapshot.read(next.directory()));
            }
        } else {
            LOG.info("Descriptor deployment: keeping containers in line with the files in {}", next.directory());
            long generation = ++watchGeneration;
            watch = new DescriptorWatch(next.directory(), timing, useEvents, snapshot -> handOver(generation, snapshot));
            watch.start();
        }
    }

    /** On the watch thread: hands a snapshot to the owner thread, unless the deployment is stopping. */
    private void handOver(long generation, Snapshot snapshot) {
        try {
            owner.execute(() -> changed(generation, snapshot));
        } catch (RejectedExecutionException e) {
            LOG.debug("Descriptor files changed while the deployment stops: {}", e.toString());
        }
    }

    private void changed(long generation, Snapshot snapshot) {
        if (generation != watchGeneration || watch == null || stopping.isDone()) {
            return;   // from a watch that was replaced since
        }
        latest = snapshot;
        deploy(snapshot);
    }

    private void retry() {
        retry = null;
        if (stopping.isDone() || config == null || !config.enable()) {
            return;
        }
        if (init()) {
            if (!Files.exists(marker())) {
                deploy(Snapshot.read(config.directory()));
            }
        } else if (latest != null) {
            deploy(latest);
        }
    }

    private boolean init() {
        return config.mode().equals(DeploymentConfig.INIT);
    }

    /** Brings the containers in line with {@code snapshot}; schedules a retry when something could not be done. */
    private void deploy(Snapshot snapshot) {
        cancelRetry();
        reportInvalid(snapshot);
        if (!snapshot.directoryReadable()) {
            once("directory " + snapshot.directoryProblem(), () -> LOG.warn("The descriptor directory {}; containers"
                    + " deployed from descriptor files are left as they are", snapshot.directoryProblem()));
            passes++;
            return;
        }
        said.removeIf(s -> s.startsWith("directory "));
        boolean complete;
        try {
            // The whole pass runs on the update thread, after what was submitted before it (docs/descriptors.md).
            complete = runner.call(front, () -> runner.recoverJournal() && converge(snapshot), stopping);
        } catch (OperationInterrupted e) {
            LOG.info("The descriptor deployment stops during an operation; it is rolled back at the next start");
            return;
        } catch (RuntimeException e) {
            LOG.warn("Deploying the descriptor files failed: {}", e.toString());
            complete = false;
        }
        if (complete) {
            failures = 0;
        } else {
            scheduleRetry();
        }
        passes++;
    }

    /** Plans against the engine and carries out each step on its own; true when nothing is left to retry. */
    private boolean converge(Snapshot snapshot) {
        List<Container> current = engine.list();
        Claims claims = Claims.of(snapshot, current);
        problems.keySet().retainAll(new HashSet<>(claims.fileOf().values()));
        reportConflicts(claims.conflicts());
        Plan plan = Planner.plan(claims.desired(), claims.owned(), Map.of());
        List<Step> steps = new ArrayList<>();
        plan.steps().stream().filter(s -> s.kind() == StepKind.DESTROY && !init()).forEach(steps::add);
        plan.steps().stream().filter(s -> s.kind() != StepKind.DESTROY && (s.kind() != StepKind.CHECK || wholePass
                || changedSinceDeployed(snapshot, claims.fileOf().get(s.name())))).forEach(steps::add);
        boolean failed = false;
        for (Step step : startOrder(steps, claims, current)) {
            failed |= !carryOut(step, claims, snapshot);
        }
        if (!failed) {
            wholePass = false;
            markDeployed();
        }
        deployed.keySet().retainAll(snapshot.files().keySet());
        return !failed && claims.conflicts().isEmpty();
    }

    /**
     * Each file is its own operation, carried out whole: one whose container names another comes after it. References
     * that name no container or go round are reported once, and their containers come last: they fail on their own
     * when they cannot resolve their references (and are retried), not the others.
     */
    private List<Step> startOrder(List<Step> steps, Claims claims, List<Container> current) {
        try {
            StartOrder.check(claims.desired(), current);
        } catch (IdentificationException e) {
            once("order " + e.getMessage(), () -> LOG.error("Descriptor files: {}", e.getMessage()));
        }
        return StartOrder.sortCyclesLast(steps, Step::desired);
    }

    private boolean changedSinceDeployed(Snapshot snapshot, String file) {
        DescriptorFile f = snapshot.files().get(file);
        return f == null || !f.digest().equals(deployed.get(file));
    }

    /** One step as an operation of its own; true when it completed. */
    private boolean carryOut(Step step, Claims claims, Snapshot snapshot) {
        String file = step.kind() == StepKind.DESTROY
                ? step.current().flatMap(Ownership::descriptorFile).orElse("?")
                : claims.fileOf().get(step.name());
        List<DesiredComponent> component = claims.desired().components().stream()
                .filter(c -> c.name().equals(step.name()) && step.kind() != StepKind.DESTROY).toList();
        DesiredState one = new DesiredState(component, List.of(), Optional.empty(), List.of());
        Operation op = Operation.identified("descriptor " + file, Interrupts.NEVER_SUPERSEDED, one,
                new Plan(List.of(step), List.of()), NAMES, MODE);
        if (step.kind().createsContainer() && step.desired().isPresent()) {
            try {
                new CreationOrigin(CreationOrigin.DESCRIPTOR_FILE, file).during(() -> engine.admit(step.desired().get()));
            } catch (ContainerRefusedException e) {
                problems.put(file, "not deployed: " + e.getMessage());
                once("failed " + file + " " + e.getMessage(), () -> LOG.error("Descriptor file {}: container {} is"
                        + " not deployed: {}", file, step.name(), e.getMessage()));
                deployed.remove(file);
                return false;
            } catch (EngineException e) {
                // The registry (a tag's resolution) or the engine cannot answer now: this file waits for the retry,
                // the others go on.
                once("failed " + file + " " + e.getMessage(), () -> LOG.warn("Descriptor file {}: container {} is not"
                        + " deployed yet, it cannot be checked against the trust rules now: {}", file, step.name(),
                        e.getMessage()));
                deployed.remove(file);
                return false;
            }
        }
        if (step.kind() != StepKind.CHECK) {
            boolean disabled = Optional.ofNullable(snapshot.files().get(file)).flatMap(DescriptorFile::descriptor)
                    .filter(d -> !d.enabled()).isPresent();
            LOG.info("Descriptor file {}: {}", file, disabled && step.kind() == StepKind.DESTROY
                    ? "removing container " + step.name() + ", because the file says \"enabled\": false"
                    : intent(step));
        }
        boolean completed = runner.reconciler().carryOut(op);
        if (completed) {
            if (step.kind() != StepKind.CHECK) {
                LOG.info("Descriptor file {}: container {} {}", file, step.name(), done(step, component));
            }
            said.removeIf(s -> s.startsWith("failed " + file + " "));
            problems.remove(file);
            if (step.kind() != StepKind.DESTROY) {
                deployed.put(file, snapshot.files().get(file).digest());
            }
        } else {
            String outcome = op.outcome();
            problems.put(file, "deploying failed and was rolled back: " + outcome);
            once("failed " + file + " " + outcome, () -> LOG.error("Descriptor file {}: deploying container {} failed,"
                    + " and everything it changed was rolled back: {}", file, step.name(), outcome));
            deployed.remove(file);
        }
        return completed;
    }

    private static String intent(Step step) {
        return switch (step.kind()) {
            case CREATE -> "creating container " + step.name();
            case RECREATE -> "replacing container " + step.name();
            case UPDATE -> "updating container " + step.name() + " in place";
            case CHECK -> "checking container " + step.name();
            case DESTROY -> "removing container " + step.name() + ", which no descriptor file describes any more";
        };
    }

    private static String done(Step step, List<DesiredComponent> component) {
        boolean start = component.stream().allMatch(DesiredComponent::start);
        return switch (step.kind()) {
            case CREATE -> start ? "created and started" : "created (not started, as the file says)";
            case RECREATE -> start ? "replaced" : "replaced (not started, as the file says)";
            case UPDATE -> "updated";
            case CHECK -> "checked";
            case DESTROY -> "removed";
        };
    }

    /** This deployment as a front of the runner: its operations are journaled with the mode {@code deployment}. */
    private final class Front implements OperationRunner.Front {

        @Override
        public FeedbackSink sink() {
            return OperationRunner.LoggedFeedback.INSTANCE; // the deployment logs each outcome itself
        }

        @Override
        public boolean owns(JournalRecord record) {
            return MODE.equals(record.mode());
        }

        @Override
        public void recover(JournalRecord record) {
            runner.reconciler().recover(Operation.recovered(record));
        }
    }

    /** Once the files have been deployed without a failure, init mode does nothing at later starts. */
    private void markDeployed() {
        Path marker = marker();
        if (Files.exists(marker)) {
            return;
        }
        try {
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, "The descriptor files were deployed once; deployment.mode init does nothing"
                    + " at later starts. Remove this file to deploy them again at the next start.\n");
        } catch (IOException e) {
            LOG.error("Cannot record that the descriptor files were deployed ({}); in init mode they are deployed"
                    + " again at the next start", e.toString());
        }
    }

    private Path marker() {
        return stateDir.resolve(STATE).resolve(MARKER);
    }

    // ---- reporting -------------------------------------------------------------------------------------------

    /** Each unusable file is reported once per content, once it has stopped changing. */
    private void reportInvalid(Snapshot snapshot) {
        reportedInvalid.keySet().removeIf(name -> !snapshot.files().containsKey(name)
                || snapshot.files().get(name).valid());
        for (DescriptorFile f : snapshot.files().values()) {
            if (f.valid() || snapshot.settling().contains(f.name()) || f.digest().equals(reportedInvalid.get(f.name()))) {
                continue;
            }
            reportedInvalid.put(f.name(), f.digest());
            LOG.warn("Descriptor file {} cannot be used, so its container is left as it is: {}",
                    config.directory().resolve(f.name()), f.problem());
        }
    }

    private void reportConflicts(List<String> conflicts) {
        said.removeIf(s -> s.startsWith("conflict ") && !conflicts.contains(s.substring("conflict ".length())));
        for (String conflict : conflicts) {
            int colon = conflict.indexOf(": ");
            if (colon > 0) {
                problems.put(conflict.substring(0, colon), conflict.substring(colon + 2));
            }
            once("conflict " + conflict, () -> LOG.warn("Descriptor file {}", conflict));
        }
    }

    /** Logs something once, until it stops being true ({@link #said} entries are removed when it does). */
    private void once(String key, Runnable log) {
        if (said.add(key)) {
            log.run();
        }
    }

    // ---- timers and the watch ------------------------------------------------------------------------------

    /** Retries what is left undone after a back-off that doubles from the poll period, up to 64 of them. */
    private void scheduleRetry() {
        if (stopping.isDone()) {
            return;
        }
        Duration delay = timing.poll().multipliedBy(1L << Math.min(failures, MAX_BACKOFF_DOUBLINGS));
        failures++;
        LOG.debug("Descriptor deployment: retrying in {}", delay);
        retry = owner.schedule(this::retry, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void closeWatch() {
        DescriptorWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
    }
}

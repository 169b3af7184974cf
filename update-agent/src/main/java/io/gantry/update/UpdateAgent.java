package io.gantry.update;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.Version;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.DesiredStateMapper;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.journal.Journal;
import io.gantry.update.operation.DeathWatch;
import io.gantry.update.operation.Interrupts;
import io.gantry.update.operation.Reconciler;
import io.gantry.update.protocol.Command;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.MalformedMessageException;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WireCommand;
import io.gantry.update.protocol.WireFeedback;
import io.gantry.update.window.UpdateWindowGate;
import io.gantry.update.window.WindowParameters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desired-state update agent: takes desired states and commands on {@code <domain>update/…}, converges the
 * managed containers, reports feedback and the current state (reference/kanto-cua.md; DESIGN.md, "Update agent
 * modes").
 *
 * <p>Lifecycle: construct it from the configuration and the ports, {@link #start()} it once (an operation left
 * unfinished by a previous run is finished or rolled back first), {@link #reconfigure} it when the configuration
 * changes, {@link #stop()} it once. Stopping interrupts a running operation at its next safe point and leaves it
 * journaled; the next start rolls it back.
 *
 * <p>Threading: MQTT callbacks only decode and hand off. Operations run on {@code gantry-update}, which alone owns
 * their state; image pulls on a pool {@code gantry-update-pull-N}; creates and starts of independent containers on a
 * pool {@code gantry-update-engine-N} (the owner thread waits for them and records their effects); publishing and
 * current-state requests on {@code gantry-update-out}; the update-window gate wakes up on
 * {@code gantry-update-window}. The lifecycle methods may be called from any thread.
 */
public final class UpdateAgent {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateAgent.class);
    private static final int PULL_THREADS = 2;
    /**
     * Creates and starts of independent containers run this many at a time: on a 2-core gateway the engine does
     * about twice the work per second with 4 calls under way as with one (docs/benchmarks.md).
     */
    private static final int ENGINE_CALL_THREADS = 4;

    private final ContainerEngine engine;
    private final MessageTransport transport;
    private final ExecutorService owner = Threads.single("gantry-update");
    private final ExecutorService out = Threads.single("gantry-update-out");
    private final ExecutorService pulls = Threads.pool("gantry-update-pull", PULL_THREADS);
    private final ExecutorService engineCalls = Threads.pool("gantry-update-engine", ENGINE_CALL_THREADS);
    private final Interrupts interrupts = new Interrupts();
    private final DeathWatch deaths = new DeathWatch();
    private final Publisher publisher;
    private final OperationDriver driver;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ScheduledExecutorService windowTimer = Threads.scheduled("gantry-update-window");
    private final UpdateWindowGate windows;
    private volatile UpdateAgentConfig config;
    private volatile UpdateTopics topics;
    private boolean started;
    private boolean stopped;

    public UpdateAgent(UpdateAgentConfig config, ContainerEngine engine, MessageTransport transport, Clock clock,
                       Path stateDir) {
        this.config = Objects.requireNonNull(config, "config");
        this.topics = UpdateTopics.of(config.domain());
        this.engine = Objects.requireNonNull(engine, "engine");
        this.transport = Objects.requireNonNull(transport, "transport");
        Journal journal = new Journal(Objects.requireNonNull(stateDir, "stateDir"));
        this.publisher = new Publisher(transport, engine, Objects.requireNonNull(clock, "clock"), this::config,
                this::topics, Version.current(), out);
        Reconciler reconciler = new Reconciler(engine, journal, publisher, this::config, pulls, interrupts, deaths,
                engineCalls);
        this.driver = new OperationDriver(engine, reconciler, journal, publisher, interrupts, this::config,
                this::topics);
        this.windows = new UpdateWindowGate(this::config, clock, windowTimer, new UpdateWindowGate.Feedback() {
            @Override
            public void waiting(String activityId, String message) {
                publisher.feedback(activityId, new WireFeedback("", FeedbackStatus.IDENTIFYING.name(), message,
                        List.of()));
                publisher.currentState(activityId);
            }

            @Override
            public void superseded(String activityId, String newer) {
                publisher.feedback(activityId, new WireFeedback("", FeedbackStatus.INCOMPLETE.name(),
                        "Superseded by activity " + newer + ".", List.of()));
            }
        });
        publisher.agentParameters(() -> WindowParameters.of(windows.waiting()));
    }

    /** Recovers a journaled operation, subscribes to the update topics and reports the current state once connected. */
    public synchronized void start() {
        if (started || stopped) {
            throw new IllegalStateException("an update agent is started once; create a new one after stop()");
        }
        started = true;
        subscriptions.add(engine.subscribe(deaths));
        owner.execute(driver::recover);
        subscribeTopics();
        subscriptions.add(transport.addConnectionListener(new MessageTransport.ConnectionListener() {
            @Override
            public void onConnected() {
                publisher.connected();
            }
        }));
        if (transport.isConnected()) {
            publisher.connected();
        }
        LOG.info("Update agent started: domain {}, mode {}, topics {}/…", config.domain(), config.mode(),
                topics.prefix());
    }

    /** Stops at the running operation's next safe point (it stays journaled) and releases the threads. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        interrupts.stop();
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        Threads.shutdown(windowTimer, 1);
        Threads.shutdown(owner, 30);
        Threads.shutdown(pulls, 1);
        Threads.shutdown(engineCalls, 5);
        Threads.shutdown(out, 5);
        LOG.info("Update agent stopped");
    }

    /**
     * Applies a changed configuration: system containers, mode, settle and health times and the inventory's
     * verbosity take effect for the next operation; a changed domain moves the agent to the new topics.
     * {@code enable} is for the composition root, which starts or stops the agent.
     */
    public synchronized void reconfigure(UpdateAgentConfig newConfig) {
        UpdateAgentConfig previous = config;
        config = Objects.requireNonNull(newConfig, "newConfig");
        if (!previous.domain().equals(newConfig.domain())) {
            topics = UpdateTopics.of(newConfig.domain());
            if (started && !stopped) {
                subscriptions.removeIf(s -> {
                    if (s instanceof TopicSubscription) {
                        s.close();
                        return true;
                    }
                    return false;
                });
                subscribeTopics();
                publisher.connected();
            }
        }
        LOG.info("Update agent reconfigured: domain {}, mode {}, system containers {}", newConfig.domain(),
                newConfig.mode(), newConfig.systemContainers());
    }

    /**
     * Tells {@code listener} the final status ({@code COMPLETED}, {@code INCOMPLETE} or
     * {@code IDENTIFICATION_FAILED}) of every operation that ends from now on, once each, on whichever thread ended
     * it; it must return at once. Set it before {@link #start()} to hear an operation recovered at start.
     */
    public void onFinished(Consumer<FeedbackStatus> listener) {
        publisher.onFinished(listener);
    }

    /** The topics in use. */
    public UpdateTopics topics() {
        return topics;
    }

    UpdateAgentConfig config() {
        return config;
    }

    /** The update-window gate, for tests that move their clock into a window. */
    UpdateWindowGate windowGate() {
        return windows;
    }

    private void subscribeTopics() {
        UpdateTopics t = topics;
        subscriptions.add(new TopicSubscription(transport.subscribe(t.desiredState(), (topic, payload) ->
                guarded("desired state", () -> onDesiredState(payload)))));
        subscriptions.add(new TopicSubscription(transport.subscribe(t.command(), (topic, payload) ->
                guarded("command", () -> onCommand(payload)))));
        subscriptions.add(new TopicSubscription(transport.subscribe(t.currentStateGet(), (topic, payload) ->
                guarded("current state request", () -> onCurrentStateGet(payload)))));
    }

    /** A topic subscription, told apart from the others when the domain changes. */
    private record TopicSubscription(Subscription delegate) implements Subscription {
        @Override
        public void close() {
            delegate.close();
        }
    }

    // ---- MQTT callbacks: decode, validate, hand off ---------------------------------------------------------

    /**
     * Validates a desired state on the MQTT thread (a pure function) and hands it to the owner thread. A valid one
     * is announced at once, so that a running operation stops at its next safe point; an invalid one is answered
     * {@code IDENTIFICATION_FAILED} and leaves any operation alone (§3.2 step 1).
     */
    private void onDesiredState(byte[] payload) {
        UpdateCodec.Inbound in;
        try {
            in = UpdateCodec.read(payload);
        } catch (MalformedMessageException e) {
            rejectDesiredState(e);
            return;
        }
        String activityId = in.activityId();
        if (activityId.isEmpty()) {
            publisher.identificationFailed("", "the desired state has no activityId");
            return;
        }
        DesiredState desired;
        try {
            desired = DesiredStateMapper.from(UpdateCodec.desiredState(in), topics, config.strict());
        } catch (MalformedMessageException e) {
            rejectDesiredState(e);
            return;
        } catch (IdentificationException e) {
            LOG.warn("Desired state {} rejected: {}", activityId, e.getMessage());
            publisher.identificationFailed(activityId, e.getMessage());
            return;
        }
        LOG.info("Desired state {} received", activityId);
        if (!desired.warnings().isEmpty()) {
            // The same lines go into the IDENTIFIED feedback message (and so into gantry apply's output).
            LOG.warn("Desired state {}: {}", activityId, String.join("; ", desired.warnings()));
        }
        // Outside the update windows it waits (docs/update-agent.md, "Update windows"); else it goes on at once.
        windows.submit(activityId, UpdateWindowGate.urgent(payload), () -> {
            long sequence = interrupts.announce(activityId);
            owner.execute(() -> driver.desiredState(activityId, sequence, desired));
        });
    }

    private void rejectDesiredState(MalformedMessageException e) {
        Optional<String> activityId = e.activityId();
        if (activityId.isPresent()) {
            LOG.warn("Desired state {} cannot be read: {}", activityId.get(), e.getMessage());
            publisher.identificationFailed(activityId.get(), "cannot parse the desired state: " + e.getMessage());
        } else {
            LOG.warn("Dropped a desired state that cannot be read: {}", e.getMessage());
        }
    }

    /** Commands that cannot be read or name no known command are ignored, as Kanto does (§3.4, §7.42). */
    private void onCommand(byte[] payload) {
        UpdateCodec.Inbound in;
        WireCommand command;
        try {
            in = UpdateCodec.read(payload);
            command = UpdateCodec.command(in);
        } catch (MalformedMessageException e) {
            LOG.warn("Dropped a command that cannot be read{}: {}",
                    e.activityId().map(id -> " (activity " + id + ")").orElse(""), e.getMessage());
            return;
        }
        Optional<Command> known = Command.forName(command.command());
        if (known.isEmpty()) {
            LOG.warn("Ignoring unknown command \"{}\" for activity {}", command.command(), in.activityId());
            return;
        }
        owner.execute(() -> driver.command(in.activityId(), known.get(), command.baseline()));
    }

    /** The payload of a current-state request is not read (§1.1); only its activity id matters. */
    private void onCurrentStateGet(byte[] payload) {
        String activityId;
        try {
            activityId = UpdateCodec.read(payload).activityId();
        } catch (MalformedMessageException e) {
            if (e.activityId().isEmpty()) {
                LOG.warn("Dropped a current state request that cannot be read: {}", e.getMessage());
                return;
            }
            activityId = e.activityId().get();
        }
        publisher.currentState(activityId);
    }

    /** Every entry point from outside is guarded: whatever goes wrong is logged once and the agent carries on. */
    private static void guarded(String what, Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            LOG.warn("Dropped a {}: {}", what, e.toString());
        }
    }
}

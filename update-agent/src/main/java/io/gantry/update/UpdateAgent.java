package io.gantry.update;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.Version;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.protocol.DesiredStateMapper;
import io.gantry.update.desired.IdentificationException;
import io.gantry.update.protocol.Command;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.MalformedMessageException;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WireCommand;
import io.gantry.update.protocol.WireFeedback;
import io.gantry.update.window.UpdateWindowGate;
import io.gantry.update.window.WaitingFile;
import io.gantry.update.protocol.WindowParameters;
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
 * changes, {@link #stop()} it once. It is a front of an {@link OperationRunner}, which runs its operations on the
 * update thread: its own (stopped with it: stopping interrupts a running operation at its next safe point and leaves
 * it journaled; the next start rolls it back), or one shared with the descriptor deployment, which the composition
 * root starts and stops.
 *
 * <p>Threading: MQTT callbacks only decode and hand off. Operations run on the runner's thread {@code gantry-update},
 * which alone owns their state; publishing and current-state requests on {@code gantry-update-out}; the update-window
 * gate wakes up on {@code gantry-update-window}. The lifecycle methods may be called from any thread.
 */
public final class UpdateAgent {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateAgent.class);
    /** Operations found in the journal with any other mode are a descriptor deployment's. */
    private static final java.util.Set<String> MODES = java.util.Set.of(UpdateAgentConfig.AUTO,
            UpdateAgentConfig.ORCHESTRATED);

    /** Beside the journal: the desired state that waits for an update window (docs/update-agent.md). */
    public static final String WAITING_FILE = "waiting.json";

    private final ContainerEngine engine;
    private final MessageTransport transport;
    private final ExecutorService out = Threads.single("gantry-update-out");
    private final OperationRunner runner;
    private final boolean ownsRunner;
    private final OperationRunner.Front front;
    private final Publisher publisher;
    private final OperationDriver driver;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ScheduledExecutorService windowTimer = Threads.scheduled("gantry-update-window");
    private final UpdateWindowGate windows;
    private volatile UpdateAgentConfig config;
    private volatile UpdateTopics topics;
    private boolean started;
    private boolean stopped;

    /** An update agent with an operation runner of its own, under {@code stateDir}. */
    public UpdateAgent(UpdateAgentConfig config, ContainerEngine engine, MessageTransport transport, Clock clock,
                       Path stateDir) {
        this(config, engine, transport, clock, stateDir, null);
    }

    /** An update agent that submits its operations to {@code runner}, which the caller starts and stops. */
    public UpdateAgent(UpdateAgentConfig config, ContainerEngine engine, MessageTransport transport, Clock clock,
                       OperationRunner runner) {
        this(config, engine, transport, clock, null, Objects.requireNonNull(runner, "runner"));
    }

    private UpdateAgent(UpdateAgentConfig config, ContainerEngine engine, MessageTransport transport, Clock clock,
                        Path stateDir, OperationRunner shared) {
        this.config = Objects.requireNonNull(config, "config");
        this.topics = UpdateTopics.of(config.domain());
        this.engine = Objects.requireNonNull(engine, "engine");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.ownsRunner = shared == null;
        this.runner = shared != null ? shared
                : new OperationRunner(engine, Objects.requireNonNull(stateDir, "stateDir"), this::config);
        this.publisher = new Publisher(transport, engine, Objects.requireNonNull(clock, "clock"), this::config,
                this::topics, Version.current(), out);
        this.driver = new OperationDriver(engine, runner, publisher, this::config, this::topics);
        this.front = new OperationRunner.Front() {
            @Override
            public io.gantry.update.operation.FeedbackSink sink() {
                return publisher;
            }

            @Override
            public boolean owns(io.gantry.update.journal.JournalRecord record) {
                return record.mode() == null ? record.isIdentifying() : MODES.contains(record.mode());
            }

            @Override
            public void recover(io.gantry.update.journal.JournalRecord record) {
                driver.recover(record);
            }
        };
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
        }, waitingFile());
        publisher.agentParameters(() -> WindowParameters.of(windows.waiting()));
    }

    /** Recovers a journaled operation, subscribes to the update topics and reports the current state once connected. */
    public synchronized void start() {
        if (started || stopped) {
            throw new IllegalStateException("an update agent is started once; create a new one after stop()");
        }
        started = true;
        runner.register(front);
        if (ownsRunner) {
            runner.start();
        }
        subscribeTopics();
        // A desired state that waited for its window when the agent stopped waits again (or runs, the window open).
        waitingFile().read().ifPresent(waited -> {
            LOG.info("A desired state waited for the update window when Gantry stopped: taking it up again");
            Threads.runGuarded("A waiting desired state", () -> onDesiredState(waited));
        });
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

    /**
     * Stops taking desired states and commands; with a runner of its own, also stops at the running operation's next
     * safe point (it stays journaled) and releases the threads.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        if (ownsRunner) {
            runner.stop();
        } else if (started) {
            // The shared runner carries on: an orchestrated operation still waiting for commands is rolled back, so
            // that it holds the one journal no longer.
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            try {
                runner.execute(front, () -> {
                    try {
                        driver.abandon();
                    } finally {
                        done.complete(null);
                    }
                });
                done.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("The waiting operation could not be rolled back while the update agent stopped: {}",
                        e.toString());
            }
        }
        runner.unregister(front);
        Threads.shutdown(windowTimer, 1);
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

    /** Where the desired state that waits for an update window is journaled: beside the operation journal. */
    private WaitingFile waitingFile() {
        return new WaitingFile(runner.journal().file().resolveSibling(WAITING_FILE));
    }

    /** The update-window gate, for tests that move their clock into a window. */
    UpdateWindowGate windowGate() {
        return windows;
    }

    private void subscribeTopics() {
        UpdateTopics t = topics;
        subscriptions.add(new TopicSubscription(transport.subscribe(t.desiredState(), (topic, payload) ->
                Threads.runGuarded("A desired state", () -> onDesiredState(payload)))));
        subscriptions.add(new TopicSubscription(transport.subscribe(t.command(), (topic, payload) ->
                Threads.runGuarded("A command", () -> onCommand(payload)))));
        subscriptions.add(new TopicSubscription(transport.subscribe(t.currentStateGet(), (topic, payload) ->
                Threads.runGuarded("A current state request", () -> onCurrentStateGet(payload)))));
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
        windows.submit(activityId, payload, () -> {
            long sequence = runner.interrupts().announce(activityId);
            runner.execute(front, () -> driver.desiredState(activityId, sequence, desired));
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
        runner.execute(front, () -> driver.command(in.activityId(), known.get(), command.baseline()));
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
}

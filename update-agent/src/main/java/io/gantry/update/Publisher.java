package io.gantry.update;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.transport.MessageTransport;
import io.gantry.update.protocol.InventoryMapper;
import io.gantry.update.operation.FeedbackSink;
import io.gantry.update.operation.Report;
import io.gantry.update.protocol.FeedbackMapper;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WireFeedback;
import io.gantry.update.protocol.WireKeyValue;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the update agent's messages, in order, on its own thread ({@code gantry-update-out}): feedback
 * (QoS 1, not retained) and the current state (QoS 1, retained), as Kanto does (reference/kanto-cua.md §1.1).
 *
 * <p>While the broker is away, messages wait in a bounded outbox and go out, in order, when the connection is back;
 * so an operation recovered at start, before the connection is up, is still reported. The current state is read from
 * the engine on this thread, so a request for it is answered even while a long operation runs.
 */
final class Publisher implements FeedbackSink {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final int OUTBOX_LIMIT = 1000;
    /** Kanto's activity id for the current state published on (re)connect (§1.1, §7.50). */
    static final String INITIAL_CURRENT_STATE = "initial-current-state-";

    private record Message(String topic, byte[] payload, boolean retain) {
    }

    private final MessageTransport transport;
    private final ContainerEngine engine;
    private final Clock clock;
    private final Supplier<UpdateAgentConfig> config;
    private final Supplier<UpdateTopics> topics;
    private final String agentVersion;
    private final ExecutorService out;
    private final Deque<Message> outbox = new ArrayDeque<>();
    private volatile Consumer<FeedbackStatus> finished = status -> { };
    private volatile Supplier<List<WireKeyValue>> agentParameters = List::of;

    Publisher(MessageTransport transport, ContainerEngine engine, Clock clock, Supplier<UpdateAgentConfig> config,
              Supplier<UpdateTopics> topics, String agentVersion, ExecutorService out) {
        this.transport = transport;
        this.engine = engine;
        this.clock = clock;
        this.config = config;
        this.topics = topics;
        this.agentVersion = agentVersion;
        this.out = out;
    }

    @Override
    public void feedback(String activityId, Report report) {
        feedback(activityId, FeedbackMapper.toWire(report));
    }

    /** Publishes a feedback payload the MQTT front wrote itself (a desired state waiting for its window). */
    void feedback(String activityId, WireFeedback feedback) {
        // The timestamp is when the feedback was written, as in Kanto; encoding here keeps it true under a backlog.
        byte[] payload = UpdateCodec.encode(activityId, clock.millis(), feedback);
        String topic = topics.get().feedback();
        LOG.debug("Feedback {} for activity {}", feedback.status(), activityId);
        FeedbackStatus.forName(feedback.status()).filter(FeedbackStatus::isFinal).ifPresent(finished);
        out.execute(() -> send(new Message(topic, payload, false)));
    }

    /**
     * Extra parameters of the agent's own inventory node, read at each current state (the update window's waiting
     * desired state); any thread.
     */
    void agentParameters(Supplier<List<WireKeyValue>> parameters) {
        agentParameters = Objects.requireNonNull(parameters, "parameters");
    }

    /** Tells {@code listener} the final status of every operation that ends from now on. */
    void onFinished(Consumer<FeedbackStatus> listener) {
        finished = Objects.requireNonNull(listener, "listener");
    }

    /** Reports after every operation the state it left; Kanto waits for the update manager to ask (§3.8). */
    @Override
    public void ended(String activityId) {
        currentState(activityId);
    }

    void identificationFailed(String activityId, String message) {
        feedback(activityId, new WireFeedback("", FeedbackStatus.IDENTIFICATION_FAILED.name(), message, List.of()));
    }

    /** Publishes the current state under {@code activityId}, read from the engine on the publishing thread. */
    void currentState(String activityId) {
        out.execute(() -> publishCurrentState(activityId));
    }

    /** The connection is (back) up: what waited goes out, then the current state (Kanto's on-connect report). */
    void connected() {
        out.execute(() -> {
            flush();
            publishCurrentState(INITIAL_CURRENT_STATE + clock.millis());
        });
    }

    private void publishCurrentState(String activityId) {
        List<Container> containers;
        try {
            containers = engine.list();
        } catch (RuntimeException e) {
            // An inventory without containers would tell the update manager they are all gone; say nothing instead.
            LOG.warn("Cannot report the current state for activity {}: {}", activityId, e.getMessage());
            return;
        }
        UpdateTopics t = topics.get();
        byte[] payload = UpdateCodec.encode(activityId, clock.millis(),
                InventoryMapper.toInventory(containers, t, config.get().verboseInventoryReport(), agentVersion,
                        agentParameters.get()));
        send(new Message(t.currentState(), payload, true));
    }

    private void send(Message message) {
        if (!outbox.isEmpty() || !transport.isConnected()) {
            if (outbox.size() >= OUTBOX_LIMIT) {
                Message dropped = outbox.removeFirst();
                LOG.warn("The broker has been away too long: dropped an update message for {}", dropped.topic());
            }
            outbox.addLast(message);
            flush();
            return;
        }
        publish(message);
    }

    private void flush() {
        while (!outbox.isEmpty() && transport.isConnected()) {
            publish(outbox.removeFirst());
        }
    }

    private void publish(Message message) {
        try {
            transport.publish(message.topic(), message.payload(), message.retain()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warn("Cannot publish on {}: {}", message.topic(), failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Cannot publish on {}: {}", message.topic(), e.getMessage());
        }
    }
}

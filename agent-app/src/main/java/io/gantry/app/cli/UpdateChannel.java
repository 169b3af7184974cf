package io.gantry.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.cli.TransportFactory.BrokerLink;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConnectionConfig;
import io.gantry.config.Durations;
import io.gantry.core.container.Subscription;
import io.gantry.core.transport.MessageTransport;
import io.gantry.update.protocol.MalformedMessageException;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.UpdateTopics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's end of the update protocol (reference/kanto-cua.md §1): publishes desired states, commands and
 * current-state requests on one domain's topics, and queues the agent's feedback and current states for the
 * command's thread, which reads them with a deadline.
 *
 * <p>Threading: the transport's thread only decodes and queues; everything else runs on the command's thread.
 */
final class UpdateChannel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpdateChannel.class);

    /** A message of the agent: its topic, its envelope's activity id and the whole envelope. */
    record Message(String topic, String activityId, JsonNode envelope) {

        JsonNode payload() {
            return envelope.path("payload");
        }
    }

    private final BrokerLink link;
    private final UpdateTopics topics;
    private final ConnectionConfig connection;
    private final Clock clock;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final List<Subscription> subscriptions = new ArrayList<>();

    private UpdateChannel(BrokerLink link, UpdateTopics topics, ConnectionConfig connection, Clock clock) {
        this.link = link;
        this.topics = topics;
        this.connection = connection;
        this.clock = clock;
    }

    /** The configuration's connection, with another broker URL when {@code broker} is given. */
    static ConnectionConfig connection(AgentConfig config, String broker) {
        ConnectionConfig c = config.connection();
        if (broker == null || broker.isBlank()) {
            return c;
        }
        return c.withBrokerUrl(broker);
    }

    /**
     * Subscribes to the agent's feedback and current state, then connects and waits for the subscriptions to be in
     * place.
     *
     * @throws BrokerUnavailableException when the broker is not reached within {@code wait}
     */
    static UpdateChannel open(TransportFactory factory, ConnectionConfig connection, UpdateTopics topics,
                              Duration wait, Clock clock) {
        BrokerLink link = factory.open(connection);
        UpdateChannel channel = new UpdateChannel(link, topics, connection, clock);
        try {
            channel.connect(wait);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private void connect(Duration wait) {
        MessageTransport transport = link.transport();
        subscriptions.add(transport.subscribe(topics.feedback(), this::received));
        subscriptions.add(transport.subscribe(topics.currentState(), this::received));
        subscriptions.add(transport.addConnectionListener(new MessageTransport.ConnectionListener() {
            @Override
            public void onConnected() {
                connected.countDown();
            }
        }));
        link.connect().run();
        try {
            if (!connected.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrokerUnavailableException("cannot reach the MQTT broker at " + connection.brokerUrl()
                        + " within " + Durations.format(wait) + " (connection.broker_url of the configuration)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while connecting to " + connection.brokerUrl());
        }
    }

    /** On the transport's thread: decode just enough to route, and queue. */
    private void received(String topic, byte[] payload) {
        try {
            String activityId = UpdateCodec.read(payload).activityId();
            inbox.add(new Message(topic, activityId, UpdateCodec.mapper().readTree(payload)));
        } catch (MalformedMessageException | IOException e) {
            LOG.debug("Ignoring an unreadable message on {}: {}", topic, e.getMessage());
        }
    }

    UpdateTopics topics() {
        return topics;
    }

    /** Publishes a whole envelope on {@code topic} and waits for the broker to take it. */
    void publish(String topic, byte[] envelope) {
        try {
            link.transport().publish(topic, envelope, false)
                    .get(connection.acknowledgeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new BrokerUnavailableException("cannot publish on " + topic + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("the MQTT broker at " + connection.brokerUrl() + " did not take the"
                    + " message on " + topic + " within " + Durations.format(connection.acknowledgeTimeout()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while publishing on " + topic);
        }
    }

    /** Publishes a payload in a new envelope of {@code activityId}, written now. */
    void publish(String topic, String activityId, Object payload) {
        publish(topic, UpdateCodec.encode(activityId, clock.millis(), payload));
    }

    /**
     * The next message of {@code activityId} on {@code topic}, skipping every other one (a retained current state,
     * another activity's feedback); empty when {@code deadline} passes first.
     */
    Optional<Message> next(String topic, String activityId, Instant deadline) {
        while (true) {
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            Message m;
            try {
                m = inbox.poll(left, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            if (m != null && m.topic().equals(topic) && m.activityId().equals(activityId)) {
                return Optional.of(m);
            }
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        link.close();
    }
}

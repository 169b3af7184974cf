package io.gantry.app.cli;

import io.gantry.app.mqtt.HiveMqTransport;
import io.gantry.config.ConnectionConfig;
import io.gantry.core.transport.MessageTransport;
import java.util.Objects;

/**
 * Opens the MQTT connection through which {@code gantry apply} and {@code gantry state} talk to the update agent.
 * Tests hand in an in-memory transport.
 */
@FunctionalInterface
public interface TransportFactory {

    /** A transport that is not connected yet, so that the caller subscribes before any answer can arrive. */
    BrokerLink open(ConnectionConfig config);

    /**
     * A transport with its lifecycle: {@code connect} starts connecting (the transport's connection listeners hear
     * {@code onConnected} once its subscriptions are in place), {@code disconnect} (or {@code close}) ends it.
     */
    record BrokerLink(MessageTransport transport, Runnable connect, Runnable disconnect) implements AutoCloseable {

        public BrokerLink {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(connect, "connect");
            Objects.requireNonNull(disconnect, "disconnect");
        }

        @Override
        public void close() {
            disconnect.run();
        }
    }

    /**
     * The broker of the configuration through {@link HiveMqTransport}. The client id is always a fresh random one:
     * the agent may use the configured {@code connection.client_id}, and a second client with the same id would take
     * its session over.
     */
    static TransportFactory hiveMq() {
        return config -> {
            HiveMqTransport transport = new HiveMqTransport(config.withClientId(""));
            return new BrokerLink(transport, transport::start, transport::stop);
        };
    }
}

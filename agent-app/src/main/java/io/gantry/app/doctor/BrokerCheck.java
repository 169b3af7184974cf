package io.gantry.app.doctor;

import io.gantry.app.cli.TransportFactory;
import io.gantry.app.cli.TransportFactory.BrokerLink;
import io.gantry.app.status.LiveStatus;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConnectionConfig;
import io.gantry.core.transport.MessageTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker and twin-identity checks over one real MQTT connection with the configured address, credentials and
 * TLS: connect, subscribe, publish and receive the message back; then, unless the device id is static, ask the
 * cloud connector on {@code edge/thing/request} and wait for {@code edge/thing/response}.
 */
final class BrokerCheck {

    static final String BROKER = "broker";
    static final String TWIN = "twin identity";
    private static final String THING_REQUEST = "edge/thing/request";
    private static final String THING_RESPONSE = "edge/thing/response";
    /** What Kanto publishes on edge/thing/request (reference/kanto-things.md §1.4). */
    private static final byte[] THING_REQUEST_PAYLOAD = "{\"topic\":\"\",\"headers\":null,\"path\":\"\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final TransportFactory transports;
    private final Duration wait;

    BrokerCheck(TransportFactory transports, Duration wait) {
        this.transports = transports;
        this.wait = wait;
    }

    /** The broker's finding, then the twin identity's. */
    Finding[] run(AgentConfig config) {
        ConnectionConfig connection = config.connection();
        String topic = "gantry/doctor/" + UUID.randomUUID();
        BlockingQueue<String> received = new ArrayBlockingQueue<>(16);
        CountDownLatch connected = new CountDownLatch(1);
        AtomicReference<String> lastProblem = new AtomicReference<>();
        try (BrokerLink link = transports.open(connection)) {
            MessageTransport transport = link.transport();
            transport.subscribe(topic, (t, payload) -> received.offer(t));
            transport.subscribe(THING_RESPONSE, (t, payload) -> received.offer(THING_RESPONSE + " "
                    + new String(payload, StandardCharsets.UTF_8)));
            transport.addConnectionListener(new MessageTransport.ConnectionListener() {
                @Override
                public void onConnected() {
                    connected.countDown();
                }

                @Override
                public void onDisconnected(String reason) {
                    lastProblem.set(reason);
                }

                @Override
                public void onConnectFailed(String reason) {
                    lastProblem.set(reason);
                }
            });
            link.connect().run();
            if (!await(connected)) {
                return new Finding[] {refused(connection, wait, lastProblem.get()), skipped(config)};
            }
            publish(transport, topic, new byte[] {'?'});
            if (!topic.equals(poll(received, topic))) {
                return new Finding[] {Finding.fail(BROKER, "connected to " + connection.brokerUrl() + ", but a message"
                        + " published on " + topic + " did not come back within " + seconds(wait),
                        "let this client subscribe and publish under gantry/# (the broker's ACL)"), skipped(config)};
            }
            Finding broker = Finding.ok(BROKER, connection.brokerUrl() + ": connect, subscribe and publish round trip"
                    + (connection.clientUsername().isEmpty() ? "" : " as " + connection.clientUsername()));
            return new Finding[] {broker, identity(config, transport, received)};
        } catch (RuntimeException e) {
            return new Finding[] {brokerDown(connection, connection.brokerUrl() + ": " + e.getMessage()),
                    skipped(config)};
        }
    }

    private Finding identity(AgentConfig config, MessageTransport transport, BlockingQueue<String> received) {
        if (!config.things().enable()) {
            return Finding.ok(TWIN, "the twin is off (things.enable = false)");
        }
        Optional<Finding> live = live(config);
        if (live.isPresent()) {
            return live.get();
        }
        if (!config.things().deviceId().isEmpty()) {
            return Finding.ok(TWIN, "static device id " + config.things().deviceId() + " (things.device_id)");
        }
        publish(transport, THING_REQUEST, THING_REQUEST_PAYLOAD);
        String response = poll(received, THING_RESPONSE);
        if (response == null) {
            return Finding.fail(TWIN, "no edge/thing/response within " + seconds(wait)
                    + " after an edge/thing/request", "start the cloud connector (it announces the device id), "
                    + "or set things.device_id and things.tenant_id");
        }
        return Finding.ok(TWIN, "the cloud connector answered: " + response.substring(THING_RESPONSE.length() + 1));
    }

    /**
     * The failure for a connection that did not come up within {@code wait}: names why from the transport's last
     * {@code reason} (null when the broker never answered) and gives the fix for that cause.
     */
    static Finding refused(ConnectionConfig connection, Duration wait, String reason) {
        String prefix = "cannot connect to " + connection.brokerUrl() + " within " + seconds(wait) + ": ";
        if (reason == null) {
            return brokerDown(connection, prefix + "no answer");
        }
        String upper = reason.toUpperCase(Locale.ROOT);
        if (upper.contains("NOT_AUTHORIZED") || upper.contains("BAD_USER_NAME_OR_PASSWORD")
                || upper.contains("BAD_AUTHENTICATION")) {
            return Finding.fail(BROKER, prefix + "the broker refused the credentials of user '"
                    + connection.clientUsername() + "' (" + reason + ")", "correct connection.client_username and "
                    + "client_password, or the user's entry in the broker's password file");
        }
        if (upper.contains("SSL") || upper.contains("TLS") || upper.contains("HANDSHAKE")
                || upper.contains("CERTIFICATE") || upper.contains("PKIX")) {
            return Finding.fail(BROKER, prefix + "the TLS handshake failed (" + reason + ")", "correct connection."
                    + "transport.root_ca, client_cert and client_key, or the broker's certificate (its name and dates)");
        }
        if (upper.contains("CONNECTION REFUSED")) {
            return brokerDown(connection, prefix + "connection refused, nothing listens there (" + reason + ")");
        }
        return brokerDown(connection, prefix + reason);
    }

    private static Finding brokerDown(ConnectionConfig connection, String detail) {
        return Finding.fail(BROKER, detail, "start the broker (systemctl start mosquitto), or correct "
                + "connection.broker_url, username, password and the TLS files of " + connection.brokerUrl());
    }

    private static Finding skipped(AgentConfig config) {
        return live(config).orElseGet(() -> Finding.warn(TWIN, "not checked: no broker connection",
                "fix the broker first"));
    }

    /** The twin as a running {@code gantry run} reports it in {@code state_dir}, when one runs. */
    private static Optional<Finding> live(AgentConfig config) {
        return LiveStatus.readLive(config.stateDir()).map(status -> {
            String agent = "gantry run (pid " + status.pid() + ")";
            if (!status.connected()) {
                return Finding.fail(TWIN, agent + " is not connected to the broker", "see the broker line, and "
                        + "gantry's log (journalctl -u gantry) for why it cannot connect");
            }
            return status.thingId().map(thing -> Finding.ok(TWIN, agent + " is connected; thing " + thing
                    + ", whole twin last published at " + status.lastFullPublication().map(Instant::toString)
                    .orElse("?"))).orElseGet(() -> Finding.fail(TWIN, agent + " is connected but knows no device id "
                    + "yet", "start the cloud connector (it announces the device id), or set things.device_id and "
                    + "things.tenant_id"));
        });
    }

    private void publish(MessageTransport transport, String topic, byte[] payload) {
        CompletableFuture<Void> sent = transport.publish(topic, payload, false);
        try {
            sent.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("publishing on " + topic + " failed: " + e, e);
        }
    }

    /** The first message whose text starts with {@code prefix}, or null when the wait ends first. */
    private String poll(BlockingQueue<String> received, String prefix) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String next = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next != null && next.startsWith(prefix)) {
                    return next;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private boolean await(CountDownLatch latch) {
        try {
            return latch.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}

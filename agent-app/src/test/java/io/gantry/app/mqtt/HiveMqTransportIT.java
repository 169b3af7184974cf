package io.gantry.app.mqtt;

import io.gantry.core.testing.LogCapture;
import io.gantry.app.testing.Mosquitto;

import static io.gantry.app.mqtt.Transports.bytes;
import static io.gantry.app.mqtt.Transports.publishAcknowledged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.gantry.core.container.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transport against a real Mosquitto: messages, filters, reconnects and stopping, in both protocol versions. */
class HiveMqTransportIT {

    @TempDir
    static Path dir;
    static Mosquitto mosquitto;

    @RegisterExtension
    final Transports transports = new Transports();
    private Mosquitto own;

    @BeforeAll
    static void startBroker() {
        mosquitto = Mosquitto.on(dir).start();
    }

    @AfterAll
    static void stopBroker() {
        mosquitto.stop();
    }

    @AfterEach
    void stopOwnBroker() {
        if (own != null) {
            own.stop();
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void publishRightAfterSubscribing_whileConnected_reachesTheBrokerAfterTheSubscription(String version) {
        String client = "order-" + version.replace(".", "");
        HiveMqTransport transport = transports.connect(TestConnections.named(mosquitto.url(), version, client));
        List<String> expected = new ArrayList<>();

        // Twenty pairs, as the twin does on start: subscribe to the answer, then publish the question at once.
        for (int i = 0; i < 20; i++) {
            transport.subscribe("gantry/order/" + version + "/answer/" + i, new Inbox());
            assertThat(transport.publish("gantry/order/" + version + "/ask/" + i, bytes("?"), false))
                    .succeedsWithin(Duration.ofSeconds(5));
            expected.add("SUBSCRIBE gantry/order/" + version + "/answer/" + i + " (QoS 1)");
            expected.add("PUBLISH gantry/order/" + version + "/ask/" + i + " q1 r0");
        }

        await().untilAsserted(() -> assertThat(mosquitto.actionsOf(client)).containsExactlyElementsOf(expected));
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void publishAndSubscribe_roundTripWithQos1(String version) {
        String topic = "gantry/rt/" + version;
        Inbox inbox = new Inbox();
        HiveMqTransport receiver = transports.create(
                TestConnections.named(mosquitto.url(), version, "rt-in-" + version));
        receiver.subscribe(topic, inbox);
        ConnectionLog log = new ConnectionLog();
        receiver.addConnectionListener(log);
        receiver.start();
        HiveMqTransport sender = transports.connect(
                TestConnections.named(mosquitto.url(), version, "rt-out-" + version));
        await().until(() -> log.kinds().contains("connected"));

        publishAcknowledged(sender, topic, "hello");
        assertThat(sender.publish(topic + "/kept", bytes("retained"), true)).succeedsWithin(Duration.ofSeconds(5));

        await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly(topic + "=hello"));
        // Mosquitto's log shows what went over the wire: protocol (p2 = 3.1.1, p5 = 5), clean session, keep-alive,
        // and QoS 1 on the subscription and on each publish.
        String protocol = version.equals("5") ? "p5" : "p2";
        await().untilAsserted(() -> assertThat(mosquitto.log())
                .contains("as rt-in-" + version + " (" + protocol + ", c1, k20)")
                .contains("Received SUBSCRIBE from rt-in-" + version + "\n")
                .contains("\t" + topic + " (QoS 1)")
                .containsPattern(Pattern.quote("Received PUBLISH from rt-out-" + version + " (d0, q1, r0, m")
                        + "\\d+, " + Pattern.quote("'" + topic + "'"))
                .containsPattern(Pattern.quote("Received PUBLISH from rt-out-" + version + " (d0, q1, r1, m")
                        + "\\d+, " + Pattern.quote("'" + topic + "/kept'")));
        assertThat(receiver.isConnected()).isTrue();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void wildcardFilters_deliverExactlyTheMatchingTopics(String version) {
        String base = "gantry/wild" + version.charAt(0) + "/";
        Inbox plus = new Inbox();
        Inbox hash = new Inbox();
        Inbox exact = new Inbox();
        Inbox end = new Inbox();
        HiveMqTransport receiver = transports.create(TestConnections.to(mosquitto.url(), version));
        receiver.subscribe(base + "+/state", plus);
        receiver.subscribe(base + "logs/#", hash);
        receiver.subscribe(base + "exact", exact);
        receiver.subscribe(base + "end", end);
        ConnectionLog log = new ConnectionLog();
        receiver.addConnectionListener(log);
        receiver.start();
        HiveMqTransport sender = transports.connect(TestConnections.to(mosquitto.url(), version));
        await().until(() -> log.kinds().contains("connected"));

        for (String topic : List.of("a/state", "a/b/state", "logs", "logs/x/y", "exact", "exact/more", "end")) {
            publishAcknowledged(sender, base + topic, topic);
        }

        await().until(() -> !end.messages().isEmpty());
        assertThat(plus.messages()).containsExactly(base + "a/state=a/state");
        assertThat(hash.messages()).containsExactly(base + "logs=logs", base + "logs/x/y=logs/x/y");
        assertThat(exact.messages()).containsExactly(base + "exact=exact");
    }

    @Test
    void throwingHandler_doesNotKeepTheNextMessageFromItsHandler() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Inbox other = new Inbox();
        HiveMqTransport receiver = transports.create(TestConnections.to(mosquitto.url(), "3.1.1"));
        receiver.subscribe("gantry/throw/t", (topic, payload) -> {
            String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
            seen.add(text);
            if (text.startsWith("boom")) {
                throw new IllegalStateException("handler bug on " + text);
            }
        });
        receiver.subscribe("gantry/throw/other", other);
        ConnectionLog log = new ConnectionLog();
        receiver.addConnectionListener(log);
        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            receiver.start();
            HiveMqTransport sender = transports.connect(TestConnections.to(mosquitto.url(), "3.1.1"));
            await().until(() -> log.kinds().contains("connected"));

            publishAcknowledged(sender, "gantry/throw/t", "boom-1");
            publishAcknowledged(sender, "gantry/throw/t", "fine");
            publishAcknowledged(sender, "gantry/throw/t", "boom-2");
            publishAcknowledged(sender, "gantry/throw/other", "x");

            await().untilAsserted(() -> assertThat(other.messages()).containsExactly("gantry/throw/other=x"));
            assertThat(seen).containsExactly("boom-1", "fine", "boom-2");
            assertThat(capture.at(Level.ERROR)).hasSize(2).allMatch(m -> m.startsWith(
                    "The handler of gantry/throw/t failed on a message on gantry/throw/t"));
            assertThat(receiver.isConnected()).isTrue();
        }
    }

    @Test
    void close_forgetsTheHandlerAndUnsubscribesWithTheLastOne() {
        Inbox first = new Inbox();
        Inbox second = new Inbox();
        Inbox end = new Inbox();
        HiveMqTransport receiver = transports.create(TestConnections.named(mosquitto.url(), "5", "close-in"));
        Subscription a = receiver.subscribe("gantry/close/t", first);
        Subscription b = receiver.subscribe("gantry/close/t", second);
        receiver.subscribe("gantry/close/end", end);
        ConnectionLog log = new ConnectionLog();
        receiver.addConnectionListener(log);
        receiver.start();
        HiveMqTransport sender = transports.connect(TestConnections.to(mosquitto.url(), "5"));
        await().until(() -> log.kinds().contains("connected"));

        a.close();
        a.close();
        publishAcknowledged(sender, "gantry/close/t", "1");
        publishAcknowledged(sender, "gantry/close/end", "e1");
        await().until(() -> end.messages().size() == 1);
        assertThat(first.messages()).isEmpty();
        assertThat(second.messages()).containsExactly("gantry/close/t=1");
        assertThat(mosquitto.log()).doesNotContain("Received UNSUBSCRIBE from close-in");

        b.close();
        await().until(() -> mosquitto.log().contains("Received UNSUBSCRIBE from close-in\n"
                + mosquitto.log().lines().filter(l -> l.endsWith("\tgantry/close/t")).findFirst().orElse("?")));
        publishAcknowledged(sender, "gantry/close/t", "2");
        publishAcknowledged(sender, "gantry/close/end", "e2");
        await().until(() -> end.messages().size() == 2);
        assertThat(first.messages()).isEmpty();
        assertThat(second.messages()).containsExactly("gantry/close/t=1");
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void firstConnect_brokerNotUpYet_retriesUntilItIs_thenSubscribesBeforeTellingListeners(String version) {
        own = Mosquitto.on(dir);
        Inbox inbox = new Inbox();
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport transport = transports.echoing(TestConnections.to(own.url(), version), "gantry/late/echo",
                inbox, log);

        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            transport.start();
            assertThat(transport.isConnected()).isFalse();
            await().until(() -> attempts(capture) >= 3);
            assertThat(transport.publish("gantry/late/echo", bytes("early"), false)).isCompletedExceptionally();

            own.start();

            await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly("gantry/late/echo=connected"));
            assertThat(log.kinds()).containsExactly("connected");
            assertThat(capture.at(Level.WARN)).singleElement().asString()
                    .startsWith("Cannot connect to MQTT broker " + own.url() + ": ")
                    .contains("Connection refused")
                    .endsWith("retrying until it succeeds");
            assertThat(capture.at(Level.INFO)).anyMatch(m -> m.startsWith("Connected to MQTT broker " + own.url()
                    + " after "));
        }
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void brokerKilledAndRestarted_listenersSeeBoth_andSubscriptionsAreRestored(String version) {
        own = Mosquitto.on(dir).start();
        Inbox inbox = new Inbox();
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport transport = transports.echoing(TestConnections.to(own.url(), version), "gantry/restart/echo",
                inbox, log);
        transport.start();
        await().until(() -> inbox.messages().size() == 1);

        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            own.kill();

            await().until(() -> log.kinds().equals(List.of("connected", "disconnected")));
            // Fails at once instead of queueing: the twin re-publishes whole state on reconnect.
            CompletableFuture<Void> lost = transport.publish("gantry/restart/echo", bytes("lost"), false);
            assertThat(lost).isCompletedExceptionally();
            assertThat(transport.isConnected()).isFalse();
            await().until(() -> attempts(capture) >= 3);

            own.start();

            await().until(() -> log.kinds().equals(List.of("connected", "disconnected", "connected")));
            await().until(() -> inbox.messages().size() == 2);
            HiveMqTransport peer = transports.connect(TestConnections.to(own.url(), version));
            publishAcknowledged(peer, "gantry/restart/echo", "after-restart");
            await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly("gantry/restart/echo=connected",
                    "gantry/restart/echo=connected", "gantry/restart/echo=after-restart"));
            assertThat(capture.at(Level.WARN)).singleElement().asString()
                    .startsWith("Lost the connection to MQTT broker " + own.url());
        }
    }

    /**
     * A retained poison message and live ones over the limit (256 KiB): none reaches a handler as bytes, the
     * connection stays up (no reconnect loop on the retained one), and each topic's refusal is logged once. MQTT 5
     * tells the broker the largest packet it takes, so the 8 MiB ones never even arrive; 3.1.1 cannot, so the client
     * reads them and drops them before copying.
     */
    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(strings = {"3.1.1", "5"})
    void oversizedMessages_areRefusedUnread_loggedOncePerTopic_andTheConnectionStays(String version) {
        String base = "gantry/big" + version.charAt(0) + "/";
        HiveMqTransport sender = transports.connect(TestConnections.to(mosquitto.url(), "5"));
        byte[] huge = new byte[8 << 20];
        byte[] over = new byte[300 << 10]; // a little over: within MQTT 5's packet room, so refused with its topic
        assertThat(sender.publish(base + "poison", huge, true)).succeedsWithin(Duration.ofSeconds(10));
        Inbox inbox = new Inbox();
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport receiver = transports.create(TestConnections.to(mosquitto.url(), version));
        receiver.subscribe(base + "#", inbox);
        receiver.addConnectionListener(log);
        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            receiver.start();
            await().until(() -> log.kinds().contains("connected"));
            for (int i = 0; i < 2; i++) {
                assertThat(sender.publish(base + "over", over, false)).succeedsWithin(Duration.ofSeconds(10));
                assertThat(sender.publish(base + "huge", huge, false)).succeedsWithin(Duration.ofSeconds(10));
            }
            publishAcknowledged(sender, base + "end", "end");

            await().until(() -> inbox.messages().contains(base + "end=end"));
            assertThat(inbox.messages()).containsExactly(base + "end=end");
            String overRefused = base + "over (" + over.length + " bytes)";
            String hugeRefused = " (" + huge.length + " bytes)";
            if (version.equals("5")) {
                assertThat(inbox.refused()).containsExactly(overRefused, overRefused);
            } else {
                assertThat(inbox.refused()).containsExactly(base + "poison" + hugeRefused, overRefused,
                        base + "huge" + hugeRefused, overRefused, base + "huge" + hugeRefused);
            }
            assertThat(capture.at(Level.WARN)).hasSize(version.equals("5") ? 1 : 3)
                    .allMatch(w -> w.startsWith("Refused a message of ") && w.contains("bytes on " + base));
            assertThat(log.kinds()).containsExactly("connected");
            assertThat(receiver.isConnected()).isTrue();
        } finally {
            sender.publish(base + "poison", new byte[0], true); // clears the retained message
        }
    }

    @Test
    void brokerAwayFifteenSeconds_defaultBackoff_reconnectsWithinAFewSecondsOfItsReturn() throws Exception {
        own = Mosquitto.on(dir).start();
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport transport = transports.create(TestConnections.to(own.url(), "5"), Backoff.DEFAULT);
        transport.addConnectionListener(log);
        transport.start();
        await().until(() -> log.kinds().equals(List.of("connected")));

        own.kill();
        await().until(() -> log.kinds().equals(List.of("connected", "disconnected")));
        Thread.sleep(15_000); // the outage of the field report, long enough for an uncapped back-off to grow
        own.start();
        long back = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).until(() -> log.kinds().size() == 3);
        // the cap is two seconds, so the next attempt comes within two (plus the handshake)
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofMillis(3500));
    }

    @Test
    void reconfigure_toAnotherBroker_movesSubscriptionsAndTellsTheListeners() {
        own = Mosquitto.on(dir).start();
        Inbox inbox = new Inbox();
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport transport = transports.echoing(TestConnections.named(mosquitto.url(), "5", "mover"),
                "gantry/move/echo", inbox, log);
        transport.start();
        await().until(() -> inbox.messages().size() == 1);

        transport.reconfigure(TestConnections.named(own.url(), "3.1.1", "mover"));

        await().until(() -> log.kinds().equals(List.of("connected", "disconnected", "connected")));
        await().until(() -> inbox.messages().size() == 2);
        assertThat(log.events().get(1)).isEqualTo("disconnected: the connection settings changed");
        await().until(() -> mosquitto.log().contains("Received DISCONNECT from mover"));
        assertThat(own.log()).contains("as mover (p2, c1, k20)");
        HiveMqTransport peer = transports.connect(TestConnections.to(own.url(), "5"));
        publishAcknowledged(peer, "gantry/move/echo", "on-the-new-broker");
        await().untilAsserted(() -> assertThat(inbox.messages()).containsExactly("gantry/move/echo=connected",
                "gantry/move/echo=connected", "gantry/move/echo=on-the-new-broker"));
    }

    @Test
    void reconfigure_whileRetrying_givesUpTheOldBrokerAtOnce() {
        own = Mosquitto.on(dir).start();
        ConnectionLog log = new ConnectionLog();
        HiveMqTransport transport = transports.create(TestConnections.to(Mosquitto.on(dir).url(), "5"));
        transport.addConnectionListener(log);
        try (LogCapture capture = LogCapture.of(HiveMqTransport.class)) {
            transport.start();
            await().until(() -> attempts(capture) >= 2);

            transport.reconfigure(TestConnections.to(own.url(), "5"));

            await().until(() -> log.kinds().equals(List.of("connected")));
            assertThat(transport.isConnected()).isTrue();
        }
    }

    @Test
    void stop_whileConnected_disconnectsAndEndsEveryThread() {
        List<String> before = Transports.clientThreads();
        HiveMqTransport transport = transports.connect(TestConnections.named(mosquitto.url(), "3.1.1", "stopper"));

        transport.stop();

        assertThat(transport.isConnected()).isFalse();
        await().until(() -> mosquitto.log().contains("Received DISCONNECT from stopper"));
        await().untilAsserted(() -> assertThat(Transports.clientThreads()).isSubsetOf(before));
    }

    @Test
    void stop_whileRetrying_endsEveryThread() {
        List<String> before = Transports.clientThreads();
        HiveMqTransport transport = transports.create(TestConnections.to(Mosquitto.on(dir).url(), "5"));
        try (LogCapture capture = LogCapture.of(HiveMqTransport.class);
             LogCapture connection = LogCapture.of(Connection.class)) {
            transport.start();
            await().until(() -> attempts(capture) >= 2);

            transport.stop();

            await().untilAsserted(() -> assertThat(Transports.clientThreads()).isSubsetOf(before));
            assertThat(connection.at(Level.WARN)).noneMatch(m -> m.contains("did not stop"));
        }
    }

    @Test
    void start_twice_isRejected() {
        HiveMqTransport transport = transports.create(TestConnections.to(mosquitto.url(), "3.1.1"));
        transport.start();

        assertThatThrownBy(transport::start).isInstanceOf(IllegalStateException.class);
    }

    private static long attempts(LogCapture capture) {
        return capture.at(Level.DEBUG).stream().filter(m -> m.startsWith("MQTT connection attempt")).count();
    }
}

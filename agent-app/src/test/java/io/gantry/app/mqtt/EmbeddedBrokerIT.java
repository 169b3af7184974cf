package io.gantry.app.mqtt;


import static io.gantry.app.mqtt.Transports.publishAcknowledged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import io.gantry.app.testing.Processes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The embedded HiveMQ CE broker: started, used by the transport in both protocol versions, stopped. */
class EmbeddedBrokerIT {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerIT.class);

    @TempDir
    Path dir;

    @RegisterExtension
    final Transports transports = new Transports();

    @Test
    void start_servesBothProtocolVersions_andStopRemovesItsFolder() throws Exception {
        List<String> appendersBefore = rootAppenders();
        EmbeddedBroker broker = EmbeddedBroker.of(Processes.freePort(), dir);
        long begin = System.nanoTime();
        broker.start();
        // A figure for the record, not an assertion: the build machine's load decides it.
        LOG.info("Embedded broker started in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
        try {
            Inbox inbox = new Inbox();
            HiveMqTransport receiver = transports.echoing(TestConnections.to(broker.url(), "3.1.1"),
                    "gantry/embedded/echo", inbox);
            receiver.subscribe("gantry/embedded/+/from", inbox);
            receiver.start();
            await().until(() -> !inbox.messages().isEmpty());
            HiveMqTransport sender = transports.connect(TestConnections.to(broker.url(), "5"));

            publishAcknowledged(sender, "gantry/embedded/five/from", "hello");

            await().untilAsserted(() -> assertThat(inbox.messages())
                    .containsExactly("gantry/embedded/echo=connected", "gantry/embedded/five/from=hello"));
            // The broker was told not to bootstrap its logging: Gantry's configuration is the one in force.
            assertThat(rootAppenders()).isEqualTo(appendersBefore);
            assertThat(((Logger) LoggerFactory.getLogger("io.gantry")).getLevel())
                    .hasToString("DEBUG");
        } finally {
            transports.close();
            long stopBegin = System.nanoTime();
            broker.stop();
            LOG.info("Embedded broker stopped in {} ms", Duration.ofNanos(System.nanoTime() - stopBegin).toMillis());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void start_portTaken_failsSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EmbeddedBroker broker = EmbeddedBroker.of(taken.getLocalPort(), dir);

            assertThatThrownBy(broker::start)
                    .isInstanceOf(EmbeddedBrokerException.class)
                    .hasMessage("the embedded broker cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + " (is another broker running there?)");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    private static List<String> rootAppenders() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<String> names = new ArrayList<>();
        for (var it = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); it.hasNext(); ) {
            Appender<?> appender = it.next();
            names.add(appender.getName() + ":" + appender.getClass().getSimpleName());
        }
        return names;
    }
}

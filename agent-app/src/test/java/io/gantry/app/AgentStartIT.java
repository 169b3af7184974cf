package io.gantry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker connection is made while the rest of the agent starts, not after it (docs/benchmarks.md, "Start"): with
 * an engine that accepts connections but does not answer (its API timeout is a minute), the agent is on the broker
 * long before the engine has said anything.
 */
class AgentStartIT {

    @TempDir
    Path dir;

    private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
    private final AtomicReference<AgentUnderTest> agent = new AtomicReference<>();
    private ServerSocketChannel silentEngine;
    private Thread starter;
    private Mosquitto broker;

    @AfterEach
    void stop() throws Exception {
        closeEngine();
        if (starter != null) {
            // With the engine gone the start finishes at once (connection refused), and the agent can be stopped.
            starter.join(Duration.ofSeconds(60).toMillis());
        }
        if (agent.get() != null) {
            agent.get().close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void closeEngine() throws IOException {
        if (silentEngine != null) {
            silentEngine.close();
        }
        for (SocketChannel c : held) {
            c.close();
        }
    }

    @Test
    void brokerConnection_isMade_whileTheEngineHasNotAnsweredYet() throws Exception {
        Path socket = dir.resolve("silent.sock");
        silentEngine = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(silentEngine.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-engine");
        acceptor.setDaemon(true);
        acceptor.start();
        broker = Mosquitto.on(dir).start();

        starter = new Thread(() -> agent.set(AgentUnderTest.start(dir.resolve("agent"), "{"
                + "\"connection\": {\"broker_url\": \"" + broker.url() + "\", \"client_id\": \"start-it\"},"
                + "\"engine\": {\"host\": \"unix://" + socket + "\", \"api_timeout\": \"60s\"},"
                + "\"things\": {\"device_id\": \"start.test:gw\", \"tenant_id\": \"t\"},"
                + "\"deployment\": {\"enable\": false}, \"state_dir\": \"" + dir.resolve("state") + "\"}")),
                "agent-start");
        starter.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> broker.log().contains(" as start-it"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !held.isEmpty());
        assertThat(agent.get()).as("the start has not finished: the engine has not answered").isNull();
    }
}

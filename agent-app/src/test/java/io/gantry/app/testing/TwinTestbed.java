package io.gantry.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.DittoProbe.Thing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One twin end-to-end test class's world: a private directory, a real Mosquitto on a free port, the cloud-side
 * {@link DittoProbe} connected to it before the agent starts (so it sees everything), the class's
 * {@link TestContainers}, and a real agent started from a configuration file (update agent off, short engine
 * timeouts) whose created containers carry the class's label. {@link #close()} stops the agent, checks that every
 * twin message was valid Ditto and that Gantry logged no ERROR, and removes every container and file of the class.
 */
public final class TwinTestbed implements AutoCloseable {

    /** §5's device: {@code org.eclipse.kanto:exampleDevice} in tenant {@code tenant-1}. */
    public static final Thing KANTO = new Thing("org.eclipse.kanto:exampleDevice:edge:containers",
            "org.eclipse.kanto/exampleDevice:edge:containers", "tenant-1");

    /** The agent's MQTT client id, to find what it did in the broker's log ({@link Mosquitto#actionsOf}). */
    public static final String CLIENT_ID = "gantry-under-test";

    private final Path dir;
    private final Mosquitto broker;
    private final DittoProbe probe;
    private final TestContainers containers;
    private AgentUnderTest agent;

    private TwinTestbed(Path dir, Mosquitto broker, DittoProbe probe, TestContainers containers) {
        this.dir = dir;
        this.broker = broker;
        this.probe = probe;
        this.containers = containers;
    }

    /**
     * A broker, a probe talking to {@code thing} and the containers of a class named {@code what}, on the engine at
     * {@code engineHost} (null: the machine's engine); no agent yet.
     */
    public static TwinTestbed prepare(String what, Thing thing, String engineHost) {
        try {
            Path dir = Files.createTempDirectory("gantry-" + what + "-");
            TestContainers containers = TestContainers.on(engineHost, "gantry-" + what);
            Mosquitto broker = Mosquitto.on(dir).start();
            DittoProbe probe = DittoProbe.connect(broker.port(), thing);
            return new TwinTestbed(dir, broker, probe, containers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the agent. {@code thingsJson} is the {@code things} object of its configuration (e.g. {@code {}} to wait
     * for a connector); {@code engineHost} is null for the machine's engine.
     */
    public AgentUnderTest startAgent(String thingsJson, String engineHost) {
        agent = AgentUnderTest.start(dir.resolve("agent"), config(thingsJson, engineHost), containers.labels());
        return agent;
    }

    /** The agent's configuration file: this broker, this class's state directory, quick engine timeouts. */
    public String config(String thingsJson, String engineHost) {
        return "{\n"
                + "  \"connection\": {\"broker_url\": \"" + broker.url() + "\", \"client_id\": \"" + CLIENT_ID
                + "\", \"keep_alive\": \"5s\"},\n"
                + "  \"things\": " + thingsJson + ",\n"
                + "  \"update_agent\": {\"enable\": false},\n"
                + "  \"deployment\": {\"enable\": false},\n"
                + "  \"engine\": {" + (engineHost == null ? "" : "\"host\": \"" + engineHost + "\", ")
                + "\"default_stop_timeout\": \"5s\", \"api_timeout\": \"20s\"},\n"
                + "  \"state_dir\": \"" + stateDir() + "\"\n"
                + "}\n";
    }

    public Path dir() {
        return dir;
    }

    public Path stateDir() {
        return dir.resolve("state");
    }

    public Mosquitto broker() {
        return broker;
    }

    public DittoProbe probe() {
        return probe;
    }

    public TestContainers containers() {
        return containers;
    }

    public AgentUnderTest agent() {
        return agent;
    }

    /** Stops the agent alone (a test that restarts it). */
    public void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        run(failures, () -> {
            if (agent != null) {
                List<String> errors = agent.errors();
                stopAgent();
                assertThat(errors).as("errors logged by Gantry").isEmpty();
            }
        });
        run(failures, probe::assertAllValidDitto);
        run(failures, probe::close);
        run(failures, broker::close);
        run(failures, containers::close);
        run(failures, this::deleteDir);
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("closing the testbed failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    private static void run(List<Throwable> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
        }
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

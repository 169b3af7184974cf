package io.gantry.app.testing;

import static io.gantry.app.testing.DittoProbe.path;
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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One twin end-to-end test class's world: a private directory, a real Mosquitto on a free port, the cloud-side
 * {@link DittoProbe} connected to it before the agent starts (so it sees everything), the class's
 * {@link TestContainers}, and a real agent started from a configuration file (update agent and descriptor files off,
 * short engine timeouts) whose created containers carry the class's label. {@link #close()} stops the agent, checks
 * that every twin message was valid Ditto and that Gantry logged no ERROR, and removes every container and file of
 * the class.
 *
 * <p>Most classes register it as an extension ({@code @RegisterExtension static final TwinTestbed bed =
 * TwinTestbed.withKantoDevice("…")}): the world then exists for the whole class, with the agent registered for §5's
 * device, and the probe forgets what came before each test. Classes that shape the start themselves use
 * {@link #prepare} and {@link #startAgent}.
 */
public final class TwinTestbed implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {

    /** §5's device: {@code org.eclipse.kanto:exampleDevice} in tenant {@code tenant-1}. */
    public static final Thing KANTO = new Thing("org.eclipse.kanto:exampleDevice:edge:containers",
            "org.eclipse.kanto/exampleDevice:edge:containers", "tenant-1");

    /** The {@code things} configuration of a static §5 device: the agent needs no connector. */
    public static final String KANTO_DEVICE =
            "{\"device_id\": \"org.eclipse.kanto:exampleDevice\", \"tenant_id\": \"tenant-1\"}";

    /** {@link #KANTO_DEVICE} with only {@code features} ({@code things.features}) in the twin. */
    public static String kantoDevice(String... features) {
        return KANTO_DEVICE.replace("}", ", \"features\": [\"" + String.join("\", \"", features) + "\"]}");
    }

    /** The agent's MQTT client id, to find what it did in the broker's log ({@link Mosquitto#actionsOf}). */
    public static final String CLIENT_ID = "gantry-under-test";

    private final String what;
    private final Thing thing;
    private final String engineHost;
    private final List<String> brokerLines;
    private Path dir;
    private Mosquitto broker;
    private DittoProbe probe;
    private TestContainers containers;
    private AgentUnderTest agent;

    private TwinTestbed(String what, Thing thing, String engineHost, List<String> brokerLines) {
        this.what = what;
        this.thing = thing;
        this.engineHost = engineHost;
        this.brokerLines = List.copyOf(brokerLines);
    }

    /** The extension of a class named {@code what} whose agent serves §5's device on the machine's engine. */
    public static TwinTestbed withKantoDevice(String what) {
        return new TwinTestbed(what, KANTO, null, List.of());
    }

    /** As {@link #withKantoDevice}, on the engine at {@code engineHost} (a Podman, say). */
    public static TwinTestbed withKantoDevice(String what, String engineHost) {
        return new TwinTestbed(what, KANTO, engineHost, List.of());
    }

    /**
     * A broker, a probe talking to {@code thing} and the containers of a class named {@code what}, on the engine at
     * {@code engineHost} (null: the machine's engine); no agent yet.
     */
    public static TwinTestbed prepare(String what, Thing thing, String engineHost) {
        return prepare(what, thing, engineHost, List.of());
    }

    /** As {@link #prepare(String, Thing, String)}, with {@code brokerLines} in the broker's configuration (a bridge). */
    public static TwinTestbed prepare(String what, Thing thing, String engineHost, List<String> brokerLines) {
        TwinTestbed bed = new TwinTestbed(what, thing, engineHost, brokerLines);
        bed.open();
        return bed;
    }

    private void open() {
        try {
            dir = Files.createTempDirectory("gantry-" + what + "-");
            containers = TestContainers.on(engineHost, "gantry-" + what);
            broker = Mosquitto.on(dir, brokerLines.toArray(String[]::new)).start();
            probe = DittoProbe.connect(broker.port(), thing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        open();
        startAgent(KANTO_DEVICE);
        probe.awaitEvent(e -> path(e).equals("/features/Metrics"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        probe.forget();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Starts the agent; {@code thingsJson} is the {@code things} object of its configuration ({@code {}}: a connector). */
    public AgentUnderTest startAgent(String thingsJson) {
        agent = AgentUnderTest.start(dir.resolve("agent"), config(thingsJson), containers.labels());
        return agent;
    }

    /** The agent's configuration file: this broker, this engine, this class's state directory, quick timeouts. */
    public String config(String thingsJson) {
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

    /** {@code docker run} of the test image (with {@code command}, if any), once the twin shows it running. */
    public String running(String suffix, String... command) {
        String[] args = new String[command.length + 1];
        args[0] = TestImages.BUSYBOX;
        System.arraycopy(command, 0, args, 1, command.length);
        String id = containers.run(suffix, args);
        probe.awaitStatus(id, "RUNNING");
        probe.forget();
        return id;
    }

    /** {@code docker create} of the test image, once the twin shows it. */
    public String created(String suffix) {
        String id = containers.create(suffix, TestImages.BUSYBOX);
        probe.awaitStatus(id, "CREATED");
        probe.forget();
        return id;
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

    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        run(failures, () -> {
            if (agent != null) {
                List<String> errors = agent.errors();
                agent.close();
                agent = null;
                assertThat(errors).as("errors logged by Gantry").isEmpty();
            }
        });
        if (probe != null) {
            run(failures, probe::assertAllValidDitto);
            run(failures, probe::close);
        }
        if (broker != null) {
            run(failures, broker::close);
        }
        if (containers != null) {
            run(failures, containers::close);
        }
        if (dir != null) {
            run(failures, this::deleteDir);
        }
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

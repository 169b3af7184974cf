package io.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * Everything a bench runs against: a private dockerd with the test images (so that nobody else's containers disturb
 * the figures, and the bench disturbs nobody), a Mosquitto on a free port, a probe that plays the cloud and the update
 * manager, the packaged agent, and a docker-java client for the floor and for the engine's own event times.
 */
final class Rig implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEVICE = "bench:gateway";
    static final String THING = DEVICE + ":edge:containers";
    static final String EVENTS = "e/bench/" + THING;
    static final String TOPIC_PREFIX = "bench/gateway:edge:containers";
    static final String IMAGE = "gantry-test/busybox:1";
    static final String IMAGE_2 = "gantry-bench/app:2";
    static final String LABEL = "io.gantry.test";

    private final Path dir;
    private final PrivateEngine engine;
    private final Mosquitto broker;
    private final MqttProbe probe;
    private final PackagedAgent agent;
    private final DockerClient docker;
    private final String label;
    private PackagedAgent.Running running;
    private int agentRuns;
    private String agentLogLevel = "INFO";

    private Rig(Path dir, PrivateEngine engine, Mosquitto broker, MqttProbe probe, PackagedAgent agent,
                DockerClient docker) {
        this.dir = dir;
        this.engine = engine;
        this.broker = broker;
        this.probe = probe;
        this.agent = agent;
        this.docker = docker;
        this.label = "bench-" + ProcessHandle.current().pid();
    }

    static Rig start(Path deb, Map<String, String> environment, List<String> brokerLines) {
        try {
            Path dir = Files.createTempDirectory("gantry-bench-");
            PrivateEngine engine = PrivateEngine.start();
            engine.build(IMAGE_2, "LABEL bench.version=2");
            Mosquitto broker = Mosquitto.on(dir, brokerLines.toArray(String[]::new)).start();
            MqttProbe probe = MqttProbe.connect(broker.port()).subscribe("e/#").subscribe("command//+/res/#")
                    .subscribe("containersupdate/#");
            PackagedAgent agent = PackagedAgent.install(deb, dir.resolve("agent"), environment);
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(engine.host()).build();
            DockerClient docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost()).maxConnections(32).build());
            return new Rig(dir, engine, broker, probe, agent, docker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PrivateEngine engine() {
        return engine;
    }

    MqttProbe probe() {
        return probe;
    }

    Mosquitto broker() {
        return broker;
    }

    DockerClient docker() {
        return docker;
    }

    PackagedAgent agent() {
        return agent;
    }

    /** The label every container the bench makes itself carries. */
    Map<String, String> labels() {
        return Map.of(LABEL, label);
    }

    String label() {
        return label;
    }

    Machine.PrivateEngineFacts engineFacts() {
        String[] facts = engine.docker("info", "--format", "{{.ServerVersion}}|{{.Driver}}|{{.CgroupVersion}}")
                .split("\\|");
        return new Machine.PrivateEngineFacts(facts[0], facts[1], facts[2]);
    }

    /** The agent's {@code log.log_level} from now on (DEBUG shows each message and engine call with its time). */
    void agentLogLevel(String level) {
        agentLogLevel = level;
    }

    /** Copies the agents' logs (one per start) into {@code target}. */
    void keepAgentLogs(Path target) {
        try {
            Files.createDirectories(target);
            for (int run = 1; run <= agentRuns; run++) {
                Path log = dir.resolve("agent-" + run + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, target.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the packaged agent with {@code settleTime} and waits until its twin and its update agent are up. */
    PackagedAgent.Running startAgent(String settleTime) {
        return startAgent(settleTime, "");
    }

    /** The same, with the Prometheus endpoint on {@code prometheusListen} ({@code host:port}) unless empty. */
    PackagedAgent.Running startAgent(String settleTime, String prometheusListen) {
        return startAgent(settleTime, prometheusListen, "30s", "");
    }

    /**
     * The same, with {@code engine.default_stop_timeout} {@code stopTimeout} and the {@code dashboard} section (a JSON
     * object) unless empty.
     */
    PackagedAgent.Running startAgent(String settleTime, String prometheusListen, String stopTimeout, String dashboard) {
        stopAgent();
        probe.clear();
        Path config = dir.resolve("config-" + (++agentRuns) + ".json");
        write(config, PackagedAgent.config(broker.url(), engine.host(), agent.stateDir(), settleTime, DEVICE,
                agentLogLevel, prometheusListen, stopTimeout, dashboard));
        running = agent.start(config, dir.resolve("agent-" + agentRuns + ".log"));
        awaitReady();
        return running;
    }

    /** The agent is ready once it has published its twin and its first current state. */
    void awaitReady() {
        probe.await(Duration.ofSeconds(60), r -> r.topic().equals(EVENTS));
        probe.await(Duration.ofSeconds(60), r -> r.topic().equals("containersupdate/currentstate")
                && r.payload().contains("initial-current-state-"));
    }

    PackagedAgent.Running running() {
        return running;
    }

    void stopAgent() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    /** Removes every container of the engine (it is the bench's own) and waits until none is left. */
    void removeAll() {
        String ids = engine.docker("ps", "-aq");
        if (!ids.isBlank()) {
            List<String> command = new java.util.ArrayList<>(List.of("rm", "-f"));
            command.addAll(List.of(ids.split("\\s+")));
            engine.docker(command.toArray(String[]::new));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> engine.docker("ps", "-aq").isBlank());
    }

    /** Waits until the twin has published the deletion of {@code count} container features since the last clear. */
    void awaitTwinDeletes(int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                probe.received(r -> r.topic().equals(EVENTS) && r.payload().contains("/things/twin/commands/delete"))
                        .size() >= count);
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            stopAgent();
        } finally {
            try {
                probe.close();
                broker.close();
                docker.close();
            } catch (IOException e) {
                // closing the client of an engine that goes away anyway
            } finally {
                engine.close();
                Processes.attempt(Map.of(), "rm", "-rf", dir.toString());
            }
        }
    }
}

package io.gantry.ditto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.AgentConfig;
import io.gantry.config.ThingsConfig;
import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.golden.GoldenJson;
import io.gantry.core.transport.RecordingTransport;
import io.gantry.core.transport.RecordingTransport.Published;
import io.gantry.ditto.protocol.MqttTopics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * A {@link DittoTwin} wired to the fake engine and the recording transport, with the setup of
 * reference/kanto-things.md §5: device {@code org.eclipse.kanto:exampleDevice}, tenant {@code tenant-1}. By default
 * every executor runs tasks at once on the calling thread, so a test sees all effects when its call returns.
 * {@link #close()} stops the twin and checks every message it published with Eclipse Ditto's protocol library.
 */
final class TwinHarness implements AutoCloseable {

    static final String DEVICE = "org.eclipse.kanto:exampleDevice";
    /** T, P and E of §5. */
    static final String T = DEVICE + ":edge:containers";
    static final String P = "org.eclipse.kanto/exampleDevice:edge:containers";
    static final String E = "e/tenant-1/" + T;
    /** The connector's answer of §5, as the inbound golden file holds it. */
    static final String RESPONSE = GoldenJson.read("golden/inbound/thing-response.json").toString();
    static final String IMAGE = "docker.io/library/influxdb:1.8.4";
    static final Instant NOW = Instant.parse("2024-06-28T07:35:21.123456789Z");

    final FakeContainerEngine engine = new FakeContainerEngine(Clock.fixed(NOW, ZoneOffset.UTC)).withImage(IMAGE);
    final ErrorLog errorLog = new ErrorLog();
    private final List<String> expectedErrors = new ArrayList<>();
    final RecordingTransport transport = new RecordingTransport();
    final TimelineTransport timeline = new TimelineTransport(transport);
    final Path stateDir;
    final DittoTwin twin;

    TwinHarness(Path stateDir) {
        this(stateDir, ThingsConfig.DEFAULTS);
    }

    TwinHarness(Path stateDir, ThingsConfig things) {
        this(stateDir, things, Runnable::run, new KeyedExecutor(Runnable::run));
    }

    TwinHarness(Path stateDir, ThingsConfig things, Executor loop, KeyedExecutor commands) {
        this(stateDir, things, loop, commands, UnaryOperator.identity());
    }

    /** {@code wrap} puts a decorator in front of the fake engine, as the twin sees it. */
    TwinHarness(Path stateDir, ThingsConfig things, Executor loop, KeyedExecutor commands,
                UnaryOperator<ContainerEngine> wrap) {
        this.stateDir = stateDir;
        this.twin = new DittoTwin(config(things), wrap.apply(engine), timeline, stateDir, loop, commands);
    }

    static AgentConfig config(ThingsConfig things) {
        AgentConfig d = AgentConfig.DEFAULTS;
        return new AgentConfig(d.log(), d.connection(), things, d.updateAgent(), d.metrics(), d.engine(),
                d.registries(), d.deployment(), d.policy(), d.trust(), d.stateDir());
    }

    static ThingsConfig features(String... ids) {
        return new ThingsConfig(true, List.of(ids), "", "");
    }

    /** Starts the twin and lets the connector answer, so the twin is registered and listening. */
    TwinHarness started() {
        twin.start();
        connectorAnswers();
        return this;
    }

    void connectorAnswers() {
        transport.deliver(MqttTopics.THING_RESPONSE, RESPONSE);
    }

    ContainerId container(String name) {
        return engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName(name)).build(),
                Map.of());
    }

    /** {@code cmd(op, feature, value)} of §5; {@code valueJson} null means no value. */
    void cmd(String operation, String feature, String valueJson) {
        send("command//" + T + "/req/r1/x", envelope(operation, "/features/" + feature + "/inbox/messages/" + operation,
                valueJson));
    }

    static String envelope(String operation, String path, String valueJson) {
        String headers = valueJson == null ? "{\"correlation-id\":\"c1\",\"response-required\":true}"
                : "{\"correlation-id\":\"c1\",\"response-required\":true,\"content-type\":\"application/json\"}";
        return "{\"topic\":\"" + P + "/things/live/messages/" + operation + "\",\"headers\":" + headers
                + ",\"path\":\"" + path + "\"" + (valueJson == null ? "" : ",\"value\":" + valueJson) + "}";
    }

    /** Sends the inbound golden file {@code golden/inbound/<name>} as a command with request id r1. */
    void sendGolden(String name) {
        JsonNode envelope = GoldenJson.read("golden/inbound/" + name);
        String topic = envelope.path("topic").asText();
        send("command//" + T + "/req/r1/" + topic.substring(topic.lastIndexOf('/') + 1), envelope.toString());
    }

    void send(String topic, String payload) {
        transport.deliver(topic, payload);
    }

    /** Everything published on E, as JSON. */
    List<JsonNode> events() {
        return transport.publishedOn(E).stream().map(p -> GoldenJson.parse(p.text())).toList();
    }

    /** Every reply to a command. */
    List<Published> replies() {
        return transport.published(p -> p.topic().startsWith("command//"));
    }

    /** The one reply to the last command; fails if there is none. */
    Published reply() {
        List<Published> replies = replies();
        assertThat(replies).as("replies").isNotEmpty();
        return replies.get(replies.size() - 1);
    }

    JsonNode replyJson() {
        return GoldenJson.parse(reply().text());
    }

    /** The events on E whose path is {@code path}. */
    List<JsonNode> eventsAt(String path) {
        return events().stream().filter(e -> e.path("path").asText().equals(path)).toList();
    }

    static String id(ContainerId id) {
        return id.value();
    }

    /** An ERROR the test provokes on purpose, by a fragment of its text: it must be logged, and is no defect. */
    void expectError(String fragment) {
        expectedErrors.add(fragment);
    }

    @Override
    public void close() {
        twin.stop();
        errorLog.close();
        assertThat(errorLog.errors()).as("errors logged by Gantry")
                .filteredOn(e -> expectedErrors.stream().noneMatch(e::contains)).isEmpty();
        expectedErrors.forEach(fragment -> assertThat(errorLog.errors()).as("expected error")
                .anyMatch(e -> e.contains(fragment)));
        for (Published p : transport.published()) {
            if (p.topic().startsWith("e/") || p.topic().startsWith("command//")) {
                DittoOracle.check(p.text());
            }
            assertThat(p.retain()).as("retain flag of %s", p.topic()).isFalse();
        }
    }
}

package io.gantry.bench.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PortMapping;
import io.gantry.kanto.json.JsonInput;
import io.gantry.core.twin.TwinContainer;
import io.gantry.ditto.feature.ContainerFeatureMapper;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.ditto.protocol.CommandTopic;
import io.gantry.ditto.protocol.DittoCodec;
import io.gantry.ditto.protocol.DittoEnvelope;
import io.gantry.ditto.protocol.ThingIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Group 4: the Ditto envelope codec of the twin (ditto-mapping), messages per second on one thread. Decoding is what
 * the inbound router does before any check: the command topic parsed, the payload read as a JSON object, and the
 * envelope's topic, path, headers and value taken out. Encoding is what the twin publishes: a container's state modify
 * (every start, stop, pause…) and a container's whole feature (on creation and at every registration).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

    private static final ThingIdentity THING = new ThingIdentity("bench:gateway", "bench", "");

    private String commandTopic;
    private byte[] startCommand;
    private byte[] updateCommand;
    private TwinContainer container;
    private String featureId;

    @Setup
    public void setUp() {
        FakeContainerEngine engine = new FakeContainerEngine().withImage("docker.io/library/influxdb:1.8.4");
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse("docker.io/library/influxdb:1.8.4"))
                .name(new ContainerName("influxdb")).env(List.of(EnvVar.parse("INFLUXDB_DB=db0"),
                        EnvVar.parse("INFLUXDB_HTTP_AUTH_ENABLED=true")))
                .ports(List.of(PortMapping.parse("8086:8086"))).build();
        ContainerId id = engine.create(spec, Map.of());
        engine.start(id);
        Container c = engine.inspect(id).orElseThrow();
        container = TwinContainer.of(c, false);
        featureId = FeatureIds.container(id);
        commandTopic = "command//" + THING.thingId() + "/req/r-17/start";
        startCommand = ("{\"topic\":\"" + THING.topicPrefix() + "/things/live/messages/start\","
                + "\"headers\":{\"correlation-id\":\"c-17\",\"response-required\":true},"
                + "\"path\":\"/features/" + featureId + "/inbox/messages/start\"}").getBytes(StandardCharsets.UTF_8);
        updateCommand = ("{\"topic\":\"" + THING.topicPrefix() + "/things/live/messages/update\","
                + "\"headers\":{\"correlation-id\":\"c-18\",\"response-required\":true,"
                + "\"content-type\":\"application/json\"},\"path\":\"/features/" + featureId
                + "/inbox/messages/update\",\"value\":{\"restartPolicy\":{\"type\":\"ALWAYS\"},"
                + "\"resources\":{\"memory\":\"200M\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Object decodeStartCommand() {
        return decode(commandTopic, startCommand);
    }

    @Benchmark
    public Object decodeUpdateCommandWithValue() {
        return decode(commandTopic, updateCommand);
    }

    @Benchmark
    public byte[] encodeStateModify() {
        return DittoCodec.encode(modify(FeatureIds.propertyPath(featureId, ContainerFeatureMapper.STATE),
                ContainerFeatureMapper.state(container)));
    }

    @Benchmark
    public byte[] encodeWholeFeature() {
        return DittoCodec.encode(modify(FeatureIds.path(featureId), ContainerFeatureMapper.feature(container)));
    }

    private static Object[] decode(String topic, byte[] payload) {
        CommandTopic mqtt = CommandTopic.parse(topic).orElseThrow();
        ObjectNode root = DittoCodec.readObject(payload);
        JsonInput envelope = JsonInput.of(root, "");
        return new Object[] {mqtt, envelope.field("topic").string(""), envelope.field("path").string(""),
                envelope.field("headers").requireObject().field("correlation-id").node(),
                envelope.field("value").node()};
    }

    private static DittoEnvelope modify(String path, JsonNode value) {
        return new DittoEnvelope(THING.topicPrefix() + "/things/twin/commands/modify",
                Map.of("response-required", BooleanNode.FALSE), path, Optional.of(value), 0);
    }
}

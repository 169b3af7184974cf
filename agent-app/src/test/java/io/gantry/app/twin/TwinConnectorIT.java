package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.containerPath;
import static io.gantry.app.testing.DittoProbe.isModify;
import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Thing;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import io.gantry.config.ThingsConfig;
import io.gantry.core.golden.GoldenJson;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The connection side of the twin end to end (reference/kanto-things.md §1.3–1.4 and §4.1, statements 1–12 of §5):
 * the handshake with a cloud connector (played by the test on {@code edge/thing/response}), the registration of
 * existing containers with the stale-feature cleanup, repeated and changed answers, a device change, the broker
 * killed and restarted, and a live change of {@code things.features}. The agent's subscriptions and publications are
 * read from Mosquitto's own log. The tests build on each other, in order, as one agent's life.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwinConnectorIT {

    private static final String RESPONSE = "{\"deviceId\":\"org.eclipse.kanto:exampleDevice\",\"tenantId\":\"tenant-1\","
            + "\"policyId\":\"org.eclipse.kanto:exampleDevice\"}";
    private static final Thing T = TwinTestbed.KANTO;
    private static final String COMMANDS = "command//" + T.thingId() + "/req/#";
    /** Gantry also listens to the local broker's bridge states (docs/fleet.md), which Kanto does not. */
    private static final String BRIDGES = ThingsConfig.MOSQUITTO_BRIDGE_STATES;
    private static final String STATE_FILE = "sup_back_org.eclipse.kanto_exampleDevice_edge_containers.json";
    private static final String STALE = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e";

    private static TwinTestbed bed;
    private static DittoProbe cloud;
    private static TestContainers docker;
    private static Mosquitto broker;
    private static String existing;

    @BeforeAll
    static void startAgentWithoutDevice() throws IOException {
        bed = TwinTestbed.prepare("twin-conn", T, null);
        cloud = bed.probe();
        docker = bed.containers();
        broker = bed.broker();
        existing = docker.run("existing", TestImages.BUSYBOX);
        Files.createDirectories(bed.stateDir());
        Files.writeString(bed.stateDir().resolve(STATE_FILE), "{\"" + STALE + "\":\"Container:" + STALE + "\"}");
        bed.startAgent("{}");
        cloud.mqtt().await(MqttProbe.on("edge/thing/request"));
    }

    @AfterAll
    static void stopAgent() {
        if (bed != null) {
            bed.close();
        }
    }

    @BeforeEach
    void lookOnlyAtNewMessages() {
        cloud.forget();
    }

    private static List<String> agent() {
        return broker.actionsOf(TwinTestbed.CLIENT_ID);
    }

    private static JsonNode registered(Thing thing, String feature) {
        return cloud.awaitEvent(e -> path(e).equals("/features/" + feature) && e.path("topic").asText()
                .equals(thing.topicPrefix() + "/things/twin/commands/modify"));
    }

    /** A command to the thing is answered: its command subscription is in place. */
    private static void answersCommands() {
        assertThat(cloud.command("foo", "ContainerFactory", null).status()).isEqualTo(404);
    }

    @Test
    @Order(1)
    void statement1_onConnect_subscribesTheResponseThenAsksForTheDevice_andPublishesNothingElse() {
        List<String> actions = agent();
        assertThat(actions).containsExactly("SUBSCRIBE edge/thing/response (QoS 1)", "SUBSCRIBE " + BRIDGES + " (QoS 1)",
                "PUBLISH edge/thing/request q1 r0");
        assertThat(cloud.mqtt().received(MqttProbe.on("edge/thing/request")).get(0).payload())
                .isEqualTo("{\"topic\":\"\",\"headers\":null,\"path\":\"\"}");
        assertThat(cloud.mqtt().received(r -> r.topic().startsWith("e/"))).isEmpty();
    }

    @Test
    @Order(2)
    void statement2to5and12_theResponse_registersEveryFeature_deletesTheStaleOne_thenSubscribesCommands()
            throws IOException {
        cloud.mqtt().publish("edge/thing/response", RESPONSE);

        JsonNode metrics = registered(T, "Metrics");
        List<JsonNode> registration = cloud.events();
        JsonNode factory = registered(T, "ContainerFactory");
        JsonNode software = registered(T, "SoftwareUpdatable");
        for (JsonNode e : List.of(factory, software, metrics)) {
            assertThat(e.path("headers").toString()).isEqualTo("{\"response-required\":false}");
        }
        assertThat(factory.path("value").toString())
                .isEqualTo("{\"definition\":[\"com.bosch.iot.suite.edge.containers:ContainerFactory:1.3.0\"]}");
        assertThat(metrics.path("value").toString())
                .isEqualTo("{\"definition\":[\"com.bosch.iot.suite.edge.metric:Metrics:1.0.0\"]}");
        assertThat(software.at("/value/definition").toString())
                .isEqualTo("[\"org.eclipse.hawkbit.swupdatable:SoftwareUpdatable:2.0.0\"]");
        assertThat(software.at("/value/properties/status/softwareModuleType").asText()).isEqualTo("oci:container");
        assertThat(software.at("/value/properties/status/installedDependencies/gantry-test%2Fbusybox." + existing
                + ":1").toString()).isEqualTo("{\"group\":\"gantry-test/busybox\",\"name\":\"" + existing
                + "\",\"version\":\"1\"}");

        JsonNode feature = registered(T, "Container:" + existing);
        assertThat(feature.at("/value/definition").toString())
                .isEqualTo("[\"com.bosch.iot.suite.edge.containers:Container:1.5.0\"]");
        JsonNode status = feature.at("/value/properties/status");
        assertThat(status.path("name").asText()).isEqualTo(docker.name("existing"));
        assertThat(status.path("imageRef").asText()).isEqualTo(TestImages.BUSYBOX);
        assertThat(status.path("createdAt").asText()).endsWith("Z");
        assertThat(status.at("/state/status").asText()).isEqualTo("RUNNING");
        assertThat(status.at("/config/restartPolicy/type").asText()).isEqualTo("NO");
        // §4.1: no single state modifies during the registration.
        assertThat(cloud.containerEvents(existing)).containsExactly("modify ");

        JsonNode stale = cloud.awaitEvent(e -> path(e).equals(containerPath(STALE)));
        assertThat(stale.toString()).isEqualTo("{\"topic\":\"" + T.topicPrefix() + "/things/twin/commands/delete\","
                + "\"headers\":{\"response-required\":false},\"path\":\"/features/Container:" + STALE + "\"}");
        String file = Files.readString(bed.stateDir().resolve(STATE_FILE));
        assertThat(file).doesNotContain(STALE).contains("\"" + existing + "\":\"Container:" + existing + "\"");

        // Only then the command subscription: after the registration's publications. The agent hands the SUBSCRIBE to
        // the HiveMQ client after every PUBLISH, but the client's publish flow may put it on the wire before the last
        // queued PUBLISH (seen once in a CI run: 4 of 5 before it), so the broker may log one publication after it.
        List<String> actions = agent();
        int subscribe = actions.indexOf("SUBSCRIBE " + COMMANDS + " (QoS 1)");
        assertThat(subscribe).isPositive();
        assertThat(actions.subList(0, subscribe)).filteredOn(a -> a.startsWith("PUBLISH " + T.events() + " q1 r0"))
                .hasSizeGreaterThanOrEqualTo(registration.size() - 1);
        answersCommands();
    }

    @Test
    @Order(3)
    void statement7and8_anIdenticalResponseDoesNothing_aChangedPolicyRepublishesWithoutSubscribing() {
        cloud.mqtt().publish("edge/thing/response", RESPONSE);
        cloud.mqtt().publish("edge/thing/response", RESPONSE.replace("\"policyId\":\"org.eclipse.kanto:exampleDevice\"",
                "\"policyId\":\"org.eclipse.kanto:otherPolicy\""));

        registered(T, "Metrics");
        // The twin handles the answers in order: a registration for the first would have come before this one.
        assertThat(cloud.events()).filteredOn(e -> path(e).equals("/features/ContainerFactory")).hasSize(1);
        assertThat(cloud.events()).filteredOn(e -> path(e).equals(containerPath(existing))).hasSize(1);
        assertThat(agent()).filteredOn(a -> a.startsWith("SUBSCRIBE") || a.startsWith("UNSUBSCRIBE"))
                .containsExactly("SUBSCRIBE edge/thing/response (QoS 1)", "SUBSCRIBE " + BRIDGES + " (QoS 1)",
                        "SUBSCRIBE " + COMMANDS + " (QoS 1)");
    }

    @Test
    @Order(4)
    void statement6and9_aDifferentDevice_movesTheCommandSubscription_andRegistersTheNewThing() {
        Thing other = new Thing("dummy-namespace:dummy-gateway:dummy-device-id:edge:containers",
                "dummy-namespace/dummy-gateway:dummy-device-id:edge:containers", "tenant-2");
        String otherCommands = "command//" + other.thingId() + "/req/#";

        cloud.mqtt().publish("edge/thing/response", "{\"deviceId\":\"dummy-namespace:dummy-gateway:dummy-device-id\","
                + "\"tenantId\":\"tenant-2\"}");
        cloud.thing(other);
        registered(other, "Metrics");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent().contains("SUBSCRIBE " + otherCommands + " (QoS 1)"));

        List<String> actions = agent();
        int unsubscribe = actions.indexOf("UNSUBSCRIBE " + COMMANDS);
        int firstPublish = actions.indexOf("PUBLISH " + other.events() + " q1 r0");
        int subscribe = actions.indexOf("SUBSCRIBE " + otherCommands + " (QoS 1)");
        assertThat(unsubscribe).isPositive().isLessThan(firstPublish);
        assertThat(firstPublish).isLessThan(subscribe);
        assertThat(cloud.events()).anySatisfy(e -> assertThat(path(e)).isEqualTo(containerPath(existing)));
        answersCommands();
        // The old thing is not listened to any more: the broker does not even deliver its commands.
        cloud.thing(T);
        String unheard = cloud.send("foo", "ContainerFactory", null);
        cloud.thing(other);
        answersCommands();
        assertThat(cloud.replyTo(unheard)).isEmpty();

        // Back to the first device, for the tests that follow.
        cloud.mqtt().publish("edge/thing/response", RESPONSE);
        cloud.thing(T);
        registered(T, "Metrics");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent().lastIndexOf("SUBSCRIBE " + COMMANDS + " (QoS 1)")
                > agent().indexOf("UNSUBSCRIBE " + otherCommands));
        answersCommands();
    }

    @Test
    @Order(5)
    void statement10_brokerKilledAndRestarted_asksAgain_andTheNextResponseRepublishesWhatChangedMeanwhile() {
        String doomed = docker.run("doomed", TestImages.BUSYBOX);
        cloud.awaitStatus(doomed, "RUNNING");

        broker.kill();
        // Once the agent knows, it publishes nothing until it is registered again: these changes wait for that.
        await().atMost(Duration.ofSeconds(10)).until(() -> bed.agent().warnings().stream()
                .anyMatch(w -> w.contains("Lost the connection to MQTT broker")));
        docker.docker("stop", existing);
        docker.docker("rm", "-f", doomed);
        String born = docker.create("born", TestImages.BUSYBOX);
        broker.start();

        // Statement 1 again, on the new connection; the probe, reconnected too, plays the connector once more.
        await().atMost(Duration.ofSeconds(30)).until(() -> agent().contains("PUBLISH edge/thing/request q1 r0"));
        assertThat(agent().indexOf("SUBSCRIBE edge/thing/response (QoS 1)"))
                .isLessThan(agent().indexOf("PUBLISH edge/thing/request q1 r0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.actionsOf(probeClientId()).contains(
                "SUBSCRIBE # (QoS 1)"));
        cloud.forget();
        cloud.mqtt().publish("edge/thing/response", RESPONSE);

        registered(T, "Metrics");
        JsonNode stopped = registered(T, "Container:" + existing);
        assertThat(stopped.at("/value/properties/status/state/status").asText()).isEqualTo("STOPPED");
        assertThat(registered(T, "Container:" + born).at("/value/properties/status/state/status").asText())
                .isEqualTo("CREATED");
        JsonNode gone = cloud.awaitEvent(e -> path(e).equals(containerPath(doomed)));
        assertThat(gone.path("topic").asText()).endsWith("/things/twin/commands/delete");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent().contains("SUBSCRIBE " + COMMANDS + " (QoS 1)"));
        answersCommands();
        assertThat(cloud.command("start", "Container:" + existing, null).status()).isEqualTo(204);
        cloud.awaitState(existing, "RUNNING");
    }

    private static String probeClientId() {
        return broker.log().lines().filter(l -> l.contains("New client connected") && l.contains(" as probe-"))
                .map(l -> l.replaceFirst(".* as (probe-\\S+) .*", "$1")).findFirst().orElse("none");
    }

    @Test
    @Order(6)
    void statement11_onlyContainerFactory_deletesTheOtherFeatures_andMetricsIsNotFound() throws IOException {
        Files.writeString(bed.agent().configFile(), bed.config("{\"features\": [\"ContainerFactory\"]}"));

        JsonNode metricsDeleted = cloud.awaitEvent(e -> path(e).equals("/features/Metrics"));
        assertThat(metricsDeleted.path("topic").asText()).endsWith("/things/twin/commands/delete");
        assertThat(cloud.events()).anySatisfy(e -> assertThat(e.toString()).isEqualTo("{\"topic\":\""
                + T.topicPrefix() + "/things/twin/commands/delete\",\"headers\":{\"response-required\":false},"
                + "\"path\":\"/features/SoftwareUpdatable\"}"));
        DittoProbe.Reply reply = cloud.command("request", "Metrics", "{\"frequency\":\"2s\"}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.value().toString()).isEqualTo("{\"error\":\"messages:parameter.invalid\",\"status\":400,"
                + "\"message\":\"feature [Metrics] not found \"}");

        cloud.forget();
        cloud.mqtt().publish("edge/thing/response", RESPONSE.replace("\"policyId\":\"org.eclipse.kanto:exampleDevice\"",
                "\"policyId\":\"org.eclipse.kanto:thirdPolicy\""));
        registered(T, "ContainerFactory");
        registered(T, "Container:" + existing);
        // The registration ends with ContainerFactory; a software or metrics feature would follow it at once.
        answersCommands();
        assertThat(cloud.events()).noneSatisfy(e -> assertThat(path(e)).isIn("/features/SoftwareUpdatable",
                "/features/Metrics"));
        assertThat(cloud.events()).filteredOn(e -> isModify(e) && path(e).startsWith("/features/SoftwareUpdatable"))
                .isEmpty();
        assertThat(GoldenJson.parse(Files.readString(bed.stateDir().resolve(STATE_FILE))).has(existing)).isTrue();
        // Applied at once, so the agent must not claim that it waits for a restart.
        assertThat(bed.agent().warnings()).noneMatch(w -> w.contains("things.features"));
    }

    @Test
    @Order(7)
    void invalidDeviceIds_areLoggedAndIgnored_andThePreviousThingKeepsAnswering() {
        int seen = agent().size();
        List<String> invalid = List.of("x".repeat(70_000), "a:b\\u0001c", "a:b+c", "a:#", ":gateway", "1a:gateway",
                "a..b:gateway", "a:b\\u00e9");
        for (String deviceId : invalid) {
            cloud.mqtt().publish("edge/thing/response", "{\"deviceId\":\"" + deviceId + "\",\"tenantId\":\"t\"}");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> bed.agent().warnings().stream()
                .filter(w -> w.contains("Ignored an unusable edge/thing/response")).count() >= invalid.size());
        answersCommands();
        assertThat(agent().subList(seen, agent().size()))
                .noneMatch(a -> a.startsWith("SUBSCRIBE") || a.startsWith("UNSUBSCRIBE"));
        // the 70,000-character id is shown shortened
        assertThat(bed.agent().warnings()).noneMatch(w -> w.contains("x".repeat(65)));
        assertThat(bed.agent().errors()).isEmpty();
    }
}

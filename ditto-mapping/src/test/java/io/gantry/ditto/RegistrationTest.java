package io.gantry.ditto;

import static io.gantry.ditto.TwinHarness.E;
import static io.gantry.ditto.TwinHarness.P;
import static io.gantry.ditto.TwinHarness.T;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.ThingsConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.golden.GoldenJson;
import io.gantry.ditto.protocol.MqttTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection and registration: reference/kanto-things.md §1.3–1.4 and §4.1, statements 1–12 of §5. */
class RegistrationTest {

    /** Gantry also listens to the bridge's state (BridgeStateTest), which Kanto does not. */
    private static final String BRIDGES = ThingsConfig.MOSQUITTO_BRIDGE_STATES;

    @TempDir
    Path stateDir;
    private TwinHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private TwinHarness harness() {
        harness = new TwinHarness(stateDir);
        return harness;
    }

    private TwinHarness harness(ThingsConfig things) {
        harness = new TwinHarness(stateDir, things);
        return harness;
    }

    private static List<String> paths(List<JsonNode> events) {
        return events.stream().map(e -> e.path("topic").asText().replace(P + "/things/twin/commands/", "")
                + " " + e.path("path").asText()).toList();
    }

    @Test
    void statement1_onConnect_subscribesThingResponseThenRequestsTheDevice() {
        TwinHarness h = harness();

        h.twin.start();

        assertThat(h.timeline.timeline).containsExactly("SUBSCRIBE edge/thing/response",
                "SUBSCRIBE " + BRIDGES, "PUBLISH edge/thing/request");
        GoldenJson.assertMatches("golden/thing-request.json",
                h.transport.publishedOn(MqttTopics.THING_REQUEST).get(0).text());
    }

    @Test
    void statement2to4_response_publishesTheThreeFeatures_thenSubscribesCommands() {
        TwinHarness h = harness().started();

        assertThat(h.timeline.timeline).containsExactly("SUBSCRIBE edge/thing/response",
                "SUBSCRIBE " + BRIDGES, "PUBLISH edge/thing/request",
                "PUBLISH " + E + " modify /features/ContainerFactory",
                "PUBLISH " + E + " modify /features/SoftwareUpdatable",
                "PUBLISH " + E + " modify /features/Metrics",
                "SUBSCRIBE command//" + T + "/req/#");
        List<JsonNode> events = h.events();
        GoldenJson.assertMatches("golden/modify-feature-container-factory.json", events.get(0));
        GoldenJson.assertMatches("golden/modify-feature-software-updatable-empty.json", events.get(1));
        GoldenJson.assertMatches("golden/modify-feature-metrics.json", events.get(2));
    }

    @Test
    void statement5_existingContainer_isRegisteredWithItsInstalledDependency() {
        TwinHarness h = harness();
        ContainerId c = h.container("influxdb");
        h.engine.start(c);

        h.started();

        assertThat(paths(h.events())).containsExactly("modify /features/Container:" + c,
                "modify /features/ContainerFactory", "modify /features/SoftwareUpdatable", "modify /features/Metrics");
        GoldenJson.assertMatches("golden/modify-feature-container-running.json", h.events().get(0));
        GoldenJson.assertMatches("golden/modify-feature-software-updatable.json", h.events().get(2));
    }

    @Test
    void statement6_threeSegmentDeviceId() {
        TwinHarness h = harness();
        h.twin.start();

        h.send(MqttTopics.THING_RESPONSE, "{\"deviceId\":\"a:b:c\",\"tenantId\":\"t1\"}");

        assertThat(h.transport.publishedOn("e/t1/a:b:c:edge:containers")).hasSize(3)
                .allSatisfy(p -> assertThat(GoldenJson.parse(p.text()).path("topic").asText())
                        .startsWith("a/b:c:edge:containers/"));
        assertThat(h.transport.subscribeLog()).contains("SUBSCRIBE command//a:b:c:edge:containers/req/#");
    }

    @Test
    void deviceIdWithoutColon_isNamespaceWithEmptyName() {
        TwinHarness h = harness();
        h.twin.start();

        h.send(MqttTopics.THING_RESPONSE, "{\"deviceId\":\"abc\",\"tenantId\":\"t1\"}");

        assertThat(h.transport.publishedOn("e/t1/abc::edge:containers")).hasSize(3)
                .allSatisfy(p -> assertThat(GoldenJson.parse(p.text()).path("topic").asText())
                        .startsWith("abc/:edge:containers/"));
    }

    @Test
    void statement7_identicalResponse_publishesNothing() {
        TwinHarness h = harness().started();
        int before = h.timeline.timeline.size();

        h.connectorAnswers();

        assertThat(h.timeline.timeline).hasSize(before);
    }

    @Test
    void statement8_changedPolicy_republishesWithoutResubscribing() {
        TwinHarness h = harness().started();
        int before = h.timeline.timeline.size();

        h.send(MqttTopics.THING_RESPONSE, "{\"deviceId\":\"" + TwinHarness.DEVICE
                + "\",\"tenantId\":\"tenant-1\",\"policyId\":\"other:policy\"}");

        assertThat(h.timeline.timeline.subList(before, h.timeline.timeline.size())).containsExactly(
                "PUBLISH " + E + " modify /features/ContainerFactory",
                "PUBLISH " + E + " modify /features/SoftwareUpdatable",
                "PUBLISH " + E + " modify /features/Metrics");
    }

    @Test
    void statement9_otherDevice_unsubscribesOld_publishesNew_subscribesNew() {
        TwinHarness h = harness().started();
        int before = h.timeline.timeline.size();

        h.send(MqttTopics.THING_RESPONSE, "{\"deviceId\":\"org.eclipse.kanto:other\",\"tenantId\":\"tenant-1\"}");

        String other = "org.eclipse.kanto:other:edge:containers";
        assertThat(h.timeline.timeline.subList(before, h.timeline.timeline.size())).containsExactly(
                "UNSUBSCRIBE command//" + T + "/req/#",
                "PUBLISH e/tenant-1/" + other + " modify /features/ContainerFactory",
                "PUBLISH e/tenant-1/" + other + " modify /features/SoftwareUpdatable",
                "PUBLISH e/tenant-1/" + other + " modify /features/Metrics",
                "SUBSCRIBE command//" + other + "/req/#");
    }

    @Test
    void statement10_reconnect_asksAgain_andTheNextResponseRepublishesEverything() {
        TwinHarness h = harness().started();
        h.transport.disconnect("broker restarted");
        h.transport.clear();

        h.transport.reconnect();
        assertThat(h.transport.publishedOn(MqttTopics.THING_REQUEST)).hasSize(1);
        assertThat(h.events()).isEmpty();
        h.connectorAnswers();

        assertThat(paths(h.events())).containsExactly("modify /features/ContainerFactory",
                "modify /features/SoftwareUpdatable", "modify /features/Metrics");
        // The transport itself subscribes again to every open subscription after a reconnect.
        assertThat(h.transport.activeFilters()).containsExactlyInAnyOrder("edge/thing/response", BRIDGES,
                "command//" + T + "/req/#");
    }

    @Test
    void statement11_onlyContainerFactory_publishesOnlyItAndContainers_andMetricsIsNotFound() {
        TwinHarness h = harness(TwinHarness.features("ContainerFactory"));
        ContainerId c = h.container("web");
        h.started();

        assertThat(paths(h.events())).containsExactly("modify /features/Container:" + c,
                "modify /features/ContainerFactory");
        h.cmd("request", "Metrics", "{\"frequency\":\"2s\"}");

        GoldenJson.assertMatches("golden/error-a-400-feature-not-found-metrics.json", h.replyJson());
        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/400");
    }

    @Test
    void statement12_staleFeatureInTheStateFile_isDeleted_andForgotten() throws Exception {
        Path file = stateDir.resolve("sup_back_org.eclipse.kanto_exampleDevice_edge_containers.json");
        Files.writeString(file, "{\"X\":\"Container:X\"}");
        TwinHarness h = harness().started();

        GoldenJson.assertMatches("golden/delete-feature-container-stale.json",
                h.eventsAt("/features/Container:X").get(0));
        assertThat(Files.readString(file)).isEqualTo("null");
    }

    @Test
    void stateFile_legacyName_isRenamedAndUsed() throws Exception {
        Files.writeString(stateDir.resolve("sup_back_org.eclipse.kanto_exampleDevice:edge:containers.json"),
                "{\"X\":\"Container:X\"}");
        TwinHarness h = harness();
        ContainerId c = h.container("web");
        h.started();

        assertThat(paths(h.events())).contains("delete /features/Container:X");
        assertThat(Files.readString(stateDir.resolve("sup_back_org.eclipse.kanto_exampleDevice_edge_containers.json")))
                .isEqualTo("{\"" + c + "\":\"Container:" + c + "\"}");
        assertThat(stateDir.resolve("sup_back_org.eclipse.kanto_exampleDevice:edge:containers.json")).doesNotExist();
    }

    @Test
    void stateFile_unreadable_isIgnored() throws Exception {
        Files.writeString(stateDir.resolve("sup_back_org.eclipse.kanto_exampleDevice_edge_containers.json"), "{{{");
        TwinHarness h = harness().started();

        assertThat(h.events()).hasSize(3);
    }

    @Test
    void staticDeviceId_startsWithoutConnector() {
        TwinHarness h = harness(new ThingsConfig(true, ThingsConfig.ALL_FEATURES, "demo:gateway", "demo"));

        h.twin.start();

        String thing = "demo:gateway:edge:containers";
        assertThat(h.timeline.timeline).containsExactly("SUBSCRIBE " + BRIDGES,
                "PUBLISH e/demo/" + thing + " modify /features/ContainerFactory",
                "PUBLISH e/demo/" + thing + " modify /features/SoftwareUpdatable",
                "PUBLISH e/demo/" + thing + " modify /features/Metrics",
                "SUBSCRIBE command//" + thing + "/req/#");
    }

    @Test
    void staticDeviceIdThatMakesNoDittoThingId_waitsForTheConnectorInstead() {
        TwinHarness h = harness(new ThingsConfig(true, ThingsConfig.ALL_FEATURES, "1demo:gateway", "demo"));
        h.expectError("things.device_id cannot be used, so the twin waits for edge/thing/response: the device id"
                + " \"1demo:gateway\" does not make a Ditto thing id");

        h.twin.start();

        assertThat(h.timeline.timeline).containsExactly("SUBSCRIBE edge/thing/response",
                "SUBSCRIBE " + ThingsConfig.MOSQUITTO_BRIDGE_STATES, "PUBLISH edge/thing/request");
        h.connectorAnswers();
        assertThat(h.timeline.timeline).contains("SUBSCRIBE command//" + TwinHarness.T + "/req/#");
    }

    @Test
    void staticDeviceId_reconnect_republishesAtOnce() {
        TwinHarness h = harness(new ThingsConfig(true, ThingsConfig.ALL_FEATURES, "demo:gateway", "demo"));
        h.twin.start();
        h.transport.disconnect("gone");
        h.transport.clear();

        h.transport.reconnect();

        assertThat(h.transport.publishedOn("e/demo/demo:gateway:edge:containers")).hasSize(3);
        assertThat(h.transport.subscribeLog()).containsOnlyOnce("SUBSCRIBE command//demo:gateway:edge:containers/req/#");
    }

    @Test
    void startedWhileDisconnected_publishesNothingUntilConnected() {
        TwinHarness h = harness();
        h.transport.disconnect("not yet");

        h.twin.start();
        assertThat(h.transport.published()).isEmpty();
        h.transport.reconnect();
        h.connectorAnswers();

        assertThat(h.events()).hasSize(3);
    }

    @Test
    void engineRestart_republishesTheWholeTwin_andDeletesWhatVanished() {
        TwinHarness h = harness();
        ContainerId kept = h.container("kept");
        h.started();
        h.engine.goDown();
        h.transport.clear();

        h.engine.comeBack();

        assertThat(paths(h.events())).containsExactly("modify /features/Container:" + kept,
                "modify /features/ContainerFactory", "modify /features/SoftwareUpdatable", "modify /features/Metrics");
    }

    @Test
    void engineDownAtRegistration_registersWhenItIsBack() {
        TwinHarness h = harness();
        h.engine.goDown();
        h.started();
        assertThat(h.events()).isEmpty();

        h.engine.comeBack();

        assertThat(h.events()).hasSize(3);
    }

    @Test
    void unusableThingResponses_areIgnored() {
        TwinHarness h = harness();
        h.twin.start();

        for (String bad : List.of("not json", "[]", "{\"deviceId\":5}", "{\"deviceId\":\"\"}",
                "{\"deviceId\":\"a/b\",\"tenantId\":\"t\"}", "{\"deviceId\":\"a\",\"tenantId\":\"t/#\"}")) {
            h.send(MqttTopics.THING_RESPONSE, bad);
        }

        assertThat(h.events()).isEmpty();
        assertThat(h.transport.subscribeLog()).containsExactly("SUBSCRIBE edge/thing/response", "SUBSCRIBE " + BRIDGES);
    }

    @Test
    void lastOperation_survivesReRegistration_butNotADeviceChange() {
        TwinHarness h = harness().started();
        h.cmd("remove", "SoftwareUpdatable", "{\"correlationId\":\"k\",\"software\":[{\"name\":\"N\"}]}");
        h.send(MqttTopics.THING_RESPONSE, "{\"deviceId\":\"" + TwinHarness.DEVICE
                + "\",\"tenantId\":\"tenant-1\",\"policyId\":\"changed\"}");

        JsonNode su = h.eventsAt("/features/SoftwareUpdatable").get(1);
        assertThat(su.at("/value/properties/status/lastOperation/status").asText()).isEqualTo("FINISHED_ERROR");
        assertThat(su.at("/value/properties/status/lastFailedOperation/status").asText()).isEqualTo("FINISHED_ERROR");

        h.send(MqttTopics.THING_RESPONSE, "{\"deviceId\":\"other:device\",\"tenantId\":\"tenant-1\"}");
        JsonNode other = GoldenJson.parse(h.transport.publishedOn("e/tenant-1/other:device:edge:containers").get(1)
                .text());
        assertThat(other.at("/value/properties/status").has("lastOperation")).isFalse();
    }

    @Test
    void configChange_featuresRemovedAndAdded() {
        TwinHarness h = harness();
        ContainerId c = h.container("web");
        h.started();
        h.transport.clear();

        h.twin.applyConfig(TwinHarness.config(TwinHarness.features("SoftwareUpdatable")));

        assertThat(paths(h.events())).containsExactly("delete /features/Container:" + c,
                "delete /features/ContainerFactory", "delete /features/Metrics",
                "modify /features/SoftwareUpdatable");
        h.transport.clear();

        h.twin.applyConfig(TwinHarness.config(ThingsConfig.DEFAULTS));

        assertThat(paths(h.events())).containsExactly("modify /features/Container:" + c,
                "modify /features/ContainerFactory", "modify /features/SoftwareUpdatable", "modify /features/Metrics");
    }

    @Test
    void configChange_staticDevice_movesTheTwin_andBackToTheConnector() {
        TwinHarness h = harness().started();
        int before = h.timeline.timeline.size();

        h.twin.applyConfig(TwinHarness.config(new ThingsConfig(true, ThingsConfig.ALL_FEATURES, "demo:gateway", "demo")));

        assertThat(h.timeline.timeline.subList(before, h.timeline.timeline.size())).containsExactly(
                "UNSUBSCRIBE edge/thing/response",
                "UNSUBSCRIBE command//" + T + "/req/#",
                "PUBLISH e/demo/demo:gateway:edge:containers modify /features/ContainerFactory",
                "PUBLISH e/demo/demo:gateway:edge:containers modify /features/SoftwareUpdatable",
                "PUBLISH e/demo/demo:gateway:edge:containers modify /features/Metrics",
                "SUBSCRIBE command//demo:gateway:edge:containers/req/#");
        before = h.timeline.timeline.size();

        h.twin.applyConfig(TwinHarness.config(ThingsConfig.DEFAULTS));
        h.connectorAnswers();

        assertThat(h.timeline.timeline.subList(before, h.timeline.timeline.size())).containsExactly(
                "UNSUBSCRIBE command//demo:gateway:edge:containers/req/#",
                "SUBSCRIBE edge/thing/response",
                "PUBLISH edge/thing/request",
                "PUBLISH " + E + " modify /features/ContainerFactory",
                "PUBLISH " + E + " modify /features/SoftwareUpdatable",
                "PUBLISH " + E + " modify /features/Metrics",
                "SUBSCRIBE command//" + T + "/req/#");
    }

    @Test
    void configChange_disable_stopsListening_enable_startsAgain() {
        TwinHarness h = harness().started();

        h.twin.applyConfig(TwinHarness.config(new ThingsConfig(false, ThingsConfig.ALL_FEATURES, "", "")));
        assertThat(h.transport.activeFilters()).isEmpty();
        h.twin.applyConfig(TwinHarness.config(ThingsConfig.DEFAULTS));
        h.transport.clear();
        h.connectorAnswers();

        assertThat(h.events()).hasSize(3);
        assertThat(h.transport.activeFilters()).containsExactlyInAnyOrder("edge/thing/response", BRIDGES,
                "command//" + T + "/req/#");
    }

    @Test
    void thingsDisabled_startDoesNothing() {
        TwinHarness h = harness(new ThingsConfig(false, ThingsConfig.ALL_FEATURES, "", ""));

        h.twin.start();

        assertThat(h.timeline.timeline).isEmpty();
    }

    @Test
    void unknownFeatureIdsInConfig_areIgnored() {
        TwinHarness h = harness(TwinHarness.features("Metrics", "metrics", "Foo"));

        h.started();

        assertThat(paths(h.events())).containsExactly("modify /features/Metrics");
    }

    @Test
    void stop_publishesNothing_andUnsubscribes() {
        TwinHarness h = harness().started();
        int before = h.transport.published().size();

        h.twin.stop();

        assertThat(h.transport.published()).hasSize(before);
        assertThat(h.transport.activeFilters()).isEmpty();
        h.container("after-stop");
        assertThat(h.transport.published()).hasSize(before);
    }

    @Test
    void liveMessages_arePublishedOnlyWhileRegistered() {
        TwinHarness h = harness();
        h.twin.start();
        h.twin.liveMessages().publish("Metrics", "data", GoldenJson.parse("{\"snapshot\":[]}"));
        assertThat(h.events()).isEmpty();
        h.connectorAnswers();

        h.twin.liveMessages().publish("Metrics", "data", GoldenJson.parse(
                "{\"snapshot\":[{\"originator\":\"Container:x\",\"measurements\":[{\"id\":\"pids\",\"value\":1}]}],"
                        + "\"timestamp\":1719560121}"));

        GoldenJson.assertMatches("golden/live-message-metrics-data.json", h.events().get(3));
        assertThat(new String(h.transport.publishedOn(E).get(3).payload(), StandardCharsets.UTF_8))
                .startsWith("{\"topic\":\"" + P + "/things/live/messages/data\"");
    }
}

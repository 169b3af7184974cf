package io.gantry.ditto;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.ThingsConfig;
import io.gantry.core.container.ContainerId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local broker's bridge to the cloud healing ({@code things.bridge_state_topic}, Mosquitto's bridge notifications):
 * the whole twin goes up again once per heal, never on a state that did not change, and bad payloads change nothing.
 */
class BridgeStateTest {

    private static final String BRIDGE = "$SYS/broker/connection/gateway.cloud/state";

    @TempDir
    Path stateDir;
    private TwinHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private TwinHarness started(ThingsConfig things) {
        harness = new TwinHarness(stateDir, things);
        return harness.started();
    }

    private static List<String> paths(TwinHarness h) {
        return h.events().stream().map(e -> e.path("path").asText()).toList();
    }

    @Test
    void bridgeHeals_republishesTheWholeTwin_once() {
        harness = new TwinHarness(stateDir);
        ContainerId app = harness.container("app");
        TwinHarness h = harness.started();
        h.send(BRIDGE, "1");
        h.send(BRIDGE, "0");
        h.transport.clear();

        h.send(BRIDGE, "1");

        assertThat(paths(h)).containsExactly("/features/Container:" + app, "/features/ContainerFactory",
                "/features/SoftwareUpdatable", "/features/Metrics");
        h.transport.clear();
        h.send(BRIDGE, "1");
        assertThat(h.events()).isEmpty();
    }

    @Test
    void retainedStateOnSubscribe_orAnUnchangedState_publishesNothing() {
        TwinHarness h = started(ThingsConfig.DEFAULTS);
        h.transport.clear();

        h.send(BRIDGE, "1");
        h.send(BRIDGE, "1");
        h.send(BRIDGE, "0");
        h.send(BRIDGE, "0");

        assertThat(h.transport.published()).isEmpty();
    }

    @Test
    void eachBridge_hasItsOwnState() {
        TwinHarness h = started(ThingsConfig.DEFAULTS);
        h.send(BRIDGE, "0");
        h.transport.clear();

        h.send("$SYS/broker/connection/gateway.other/state", "1");
        assertThat(h.events()).isEmpty();
        h.send(BRIDGE, "1");

        assertThat(h.events()).hasSize(3);
    }

    @Test
    void badPayloads_areIgnored_andTheNextGoodOneCounts() {
        TwinHarness h = started(ThingsConfig.DEFAULTS);
        h.send(BRIDGE, "0");
        h.transport.clear();

        for (String bad : List.of("", "2", "up", "true", "{\"state\":1}", "1".repeat(40), "10")) {
            h.send(BRIDGE, bad);
        }
        assertThat(h.transport.published()).isEmpty();
        assertThat(h.errorLog.warnings()).hasSize(7).allMatch(w -> w.contains("bridge-state topic " + BRIDGE));
        h.send(BRIDGE, " 1\n");

        assertThat(h.events()).hasSize(3);
    }

    @Test
    void bridgeHealsBeforeTheDeviceIsKnown_publishesNothing_theRegistrationCoversIt() {
        harness = new TwinHarness(stateDir);
        TwinHarness h = harness;
        h.twin.start();
        h.send(BRIDGE, "0");
        h.send(BRIDGE, "1");
        assertThat(h.events()).isEmpty();

        h.connectorAnswers();

        assertThat(h.events()).hasSize(3);
    }

    @Test
    void configuredTopic_isTheOneListenedTo_andEmptyTurnsItOff() {
        ThingsConfig own = new ThingsConfig(true, ThingsConfig.ALL_FEATURES, "", "", "gateway/bridge/cloud");
        TwinHarness h = started(own);
        assertThat(h.transport.activeFilters()).contains("gateway/bridge/cloud").doesNotContain(
                ThingsConfig.MOSQUITTO_BRIDGE_STATES);
        h.send("gateway/bridge/cloud", "0");
        h.transport.clear();
        h.send(BRIDGE, "1");
        assertThat(h.events()).isEmpty();
        h.send("gateway/bridge/cloud", "1");
        assertThat(h.events()).hasSize(3);

        h.twin.applyConfig(TwinHarness.config(new ThingsConfig(true, ThingsConfig.ALL_FEATURES, "", "", "")));

        assertThat(h.transport.activeFilters()).doesNotContain("gateway/bridge/cloud");
    }
}

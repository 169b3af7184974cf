package io.gantry.app.fleet;

import static io.gantry.app.testing.DittoProbe.isModify;
import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fleet path of docs/fleet.md with real brokers: the gateway's Mosquitto bridged to a second, "cloud" Mosquitto
 * with a cloud connector's topic mapping (the twin's events and command replies up on the tenant's Hono topics,
 * commands down), Gantry behind it on the gateway, and the back end played by a {@link DittoProbe} on the cloud
 * broker. The tests build on each other, in order, as one gateway's life: the first publication, a command from
 * the back end, and the bridge broken and healed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetBridgeIT {

    /** Mosquitto's own notification topic for the bridge, which the agent's default bridge_state_topic matches. */
    private static final String BRIDGE_STATE = "$SYS/broker/connection/gantry-fleet-gateway/state";

    private static Path dir;
    private static Mosquitto cloud;
    private static DittoProbe backEnd;
    private static TwinTestbed gateway;
    private static String app;

    @BeforeAll
    static void startCloudGatewayAndAgent() throws IOException {
        dir = Files.createTempDirectory("gantry-fleet-");
        cloud = Mosquitto.on(dir).start();
        backEnd = DittoProbe.connect(cloud.port(), TwinTestbed.KANTO);
        gateway = TwinTestbed.prepare("fleet", TwinTestbed.KANTO, null, bridgeTo(cloud.port()));
        gateway.probe().mqtt().subscribe(BRIDGE_STATE);
        awaitBridge("1", Instant.MIN);
        app = gateway.containers().run("app", TestImages.BUSYBOX);
        gateway.startAgent(TwinTestbed.KANTO_DEVICE);
    }

    /**
     * What a cloud connector does, as a Mosquitto bridge: the gateway's twin events ({@code e/<tenant>/<thing>}) and
     * command replies go up unchanged, as Hono's MQTT adapter takes them from a gateway; commands for the gateway's
     * things come down. A persistent bridge session (cleansession false) keeps what is published while it is down.
     * Its state goes to Mosquitto's default notification topic, as on a gateway where nobody configured one.
     */
    private static List<String> bridgeTo(int cloudPort) {
        return List.of("connection cloud", "address 127.0.0.1:" + cloudPort, "remote_clientid gantry-fleet-gateway",
                "cleansession false", "restart_timeout 2", "notifications true",
                "topic e/# out 1", "topic command//+/res/# out 1", "topic command//+/req/# in 1");
    }

    /** Waits for Mosquitto's bridge notification ({@code 1} up, {@code 0} down) published after {@code since}. */
    private static void awaitBridge(String state, Instant since) {
        gateway.probe().mqtt().await(Duration.ofSeconds(30), r -> r.topic().equals(BRIDGE_STATE)
                && r.payload().equals(state) && !r.at().isBefore(since));
    }

    @AfterAll
    static void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
        if (backEnd != null) {
            backEnd.assertAllValidDitto();
            backEnd.close();
        }
        if (cloud != null) {
            cloud.close();
        }
        if (dir != null) {
            Processes.run("rm", "-rf", dir.toString());
        }
    }

    @Test
    @Order(1)
    void firstPublication_theWholeTwinArrivesUpstream() {
        backEnd.awaitStatus(app, "RUNNING");
        for (String feature : List.of("ContainerFactory", "SoftwareUpdatable", "Metrics")) {
            backEnd.awaitEvent(e -> isModify(e) && path(e).equals("/features/" + feature));
        }

        // Everything the gateway's broker carried on the twin's topic went up, unchanged and in order.
        DittoProbe local = gateway.probe();
        assertThat(payloads(backEnd)).isEqualTo(payloads(local));
    }

    @Test
    @Order(2)
    void commandFromUpstream_reachesTheContainer_andItsReplyComesBack() {
        backEnd.forget();

        DittoProbe.Reply reply = backEnd.command("stop", "Container:" + app, null);

        assertThat(reply.status()).isEqualTo(204);
        assertThat(gateway.containers().inspect(app, "{{.State.Status}}")).isEqualTo("exited");
        backEnd.awaitState(app, "STOPPED");
    }

    @Test
    @Order(3)
    void brokenBridge_heals_andTheWholeTwinIsPublishedUpstreamAgain() {
        Instant broken = Instant.now();
        cloud.kill();
        awaitBridge("0", broken);

        gateway.containers().docker("start", app);
        gateway.probe().awaitState(app, "RUNNING");
        gateway.probe().forget();
        Instant restarted = Instant.now();
        // The cloud broker comes back empty (no persistence): the back end's view must be rebuilt from the gateway.
        cloud.start();
        // The back end is there again before the bridge (restart_timeout 2 s), as Ditto is before its gateways.
        backEnd.close();
        backEnd = DittoProbe.connect(cloud.port(), TwinTestbed.KANTO);
        awaitBridge("1", restarted);

        // Not only what changed during the break (the bridge's queue has that): every feature, as on first connect.
        for (String feature : List.of("Container:" + app, "ContainerFactory", "SoftwareUpdatable", "Metrics")) {
            backEnd.awaitEvent(e -> isModify(e) && path(e).equals("/features/" + feature));
        }
        backEnd.awaitStatus(app, "RUNNING");
        // A command works again over the healed bridge.
        assertThat(backEnd.command("stop", "Container:" + app, null).status()).isEqualTo(204);
        backEnd.awaitState(app, "STOPPED");
        // One heal, one publication of the whole twin on the gateway: the retained notification is not a second one.
        assertThat(gateway.probe().events()).filteredOn(e -> path(e).equals("/features/ContainerFactory")).hasSize(1);
    }

    /** The payloads on the thing's events topic, as a set of their paths and values. */
    private static Set<String> payloads(DittoProbe probe) {
        Set<String> out = new TreeSet<>();
        probe.events().forEach(e -> out.add(path(e) + " " + e.path("value")));
        return out;
    }

}

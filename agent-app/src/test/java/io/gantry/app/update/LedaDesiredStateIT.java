package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.actions;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.UpdateFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A desired state of the shape Eclipse Leda publishes for its example vehicle applications (a databroker, a seat
 * service and a CAN feeder), deployed end to end on a real engine in auto mode and driven DOWNLOAD → UPDATE →
 * ACTIVATE → CLEANUP as Kanto's update manager drives it: the peers name the databroker by Kanto's default host name
 * ({@code databroker-host:container_databroker-host}) and come before it in the payload, the databroker's port is
 * written as Leda writes it ({@code localhost:<port>:30555-30555/tcp}), with env, a device and log settings. Each
 * container must run and reach the names it uses. The images are local stand-ins tagged with Leda's image names
 * (busybox: {@code httpd} for the services, {@code wget} for the clients).
 */
class LedaDesiredStateIT {

    private static final String DATABROKER = "ghcr.io/eclipse/kuksa.val/databroker:0.2.5";
    private static final String SEAT = "ghcr.io/eclipse/kuksa.val.services/seat_service:v0.1.0";
    private static final String FEEDER = "ghcr.io/eclipse/kuksa.val.feeders/dbc2val:v0.1.1";
    private static final List<String> NAMES = List.of("seatservice-example", "feedercan", "databroker");

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @BeforeAll
    static void images() {
        fixture.engine().build(DATABROKER, cmd("mkdir -p /www && echo databroker > /www/index.html;"
                + " trap 'exit 0' TERM; httpd -f -p 30555 -h /www & wait"));
        // The clients ask the databroker by the name their env gives, as the real services do with gRPC.
        fixture.engine().build(SEAT, cmd("mkdir -p /www && echo seat > /www/index.html; trap 'exit 0' TERM;"
                + " httpd -f -p 50051 -h /www & while true; do wget -q -O /tmp/broker http://$BROKER_ADDR/;"
                + " sleep 1; done & wait"));
        fixture.engine().build(FEEDER, cmd("trap 'exit 0' TERM; while true; do wget -q -O /tmp/broker"
                + " http://$VDB_ADDRESS/; sleep 1; done & wait"));
    }

    private static String cmd(String shell) {
        return "CMD [\"sh\", \"-c\", " + UpdateFixture.JSON.getNodeFactory().textNode(shell) + "]";
    }

    @BeforeEach
    void noContainersLeft() {
        NAMES.forEach(name -> fixture.engine().attempt("rm", "-f", name));
    }

    /** Leda's components, the peers first: identification must order the starts, not the author. */
    private static ObjectNode ledaDesiredState(int brokerPort, int seatPort) {
        String[] log = {"logDriver", "json-file", "logMaxFiles", "2", "logMaxSize", "1M", "logMode", "blocking"};
        return payload(
                component("seatservice-example", "v0.1.0", with(log, "image", SEAT,
                        "host", "databroker-host:container_databroker-host", "port", "localhost:" + seatPort
                                + ":50051/tcp", "env", "VEHICLEDATABROKER_DAPR_APP_ID=databroker",
                        "env", "BROKER_ADDR=databroker-host:30555", "env", "RUST_LOG=info",
                        "restartPolicy", "unless-stopped", "network", "bridge", "terminal", "false",
                        "interactive", "false", "privileged", "false")),
                component("feedercan", "v0.1.1", with(log, "image", FEEDER,
                        "host", "databroker-host:container_databroker-host", "env", "VDB_ADDRESS=databroker-host:30555",
                        "env", "USECASE=databroker", "env", "LOG_LEVEL=info", "device", "/dev/null:/dev/can-stand-in",
                        "restartPolicy", "unless-stopped")),
                component("databroker", "0.2.5", with(log, "image", DATABROKER,
                        "port", "localhost:" + brokerPort + ":30555-30555/tcp", "env", "RUST_LOG=info",
                        "env", "vehicle_data_broker=info", "restartPolicy", "unless-stopped",
                        // Kanto drops a container port range; Gantry too, and says so
                        "port", "localhost:" + Processes.freePort() + ":30556-30557/tcp")));
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(more, more.length + base.length);
        System.arraycopy(base, 0, all, more.length, base.length);
        return all;
    }

    @Test
    void autoMode_deploysEveryContainer_runningAndReachingThePeersByTheNamesItUses() throws Exception {
        AgentUnderTest agent = fixture.startAgent("", "");
        int brokerPort = Processes.freePort();
        int seatPort = Processes.freePort();

        String activity = fixture.send(ledaDesiredState(brokerPort, seatPort));
        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).as("final feedback: %s", end).isEqualTo("COMPLETED");
        assertThat(actions(end, "status")).containsOnly(Map.entry("containers:seatservice-example",
                "ACTIVATION_SUCCESS"), Map.entry("containers:feedercan", "ACTIVATION_SUCCESS"),
                Map.entry("containers:databroker", "ACTIVATION_SUCCESS"));
        assertDroppedPortIsNamed(fixture.await(activity, "IDENTIFIED"));
        assertThat(agent.warnings()).anyMatch(w -> w.contains("component databroker: port")
                && w.contains("30556-30557/tcp\" is dropped"));
        assertDeployed(brokerPort, seatPort);
    }

    @Test
    void orchestratedMode_drivenAsKantosUpdateManager_deploysTheSame() throws Exception {
        fixture.startAgent("\"mode\": \"orchestrated\"", "");
        int brokerPort = Processes.freePort();
        int seatPort = Processes.freePort();

        String activity = fixture.send(ledaDesiredState(brokerPort, seatPort));
        assertDroppedPortIsNamed(fixture.await(activity, "IDENTIFIED"));
        fixture.command(activity, "DOWNLOAD");
        fixture.await(activity, "DOWNLOAD_SUCCESS");
        // The databroker is created; its peers, whose /etc/hosts needs its address, are created when they start.
        assertThat(fixture.engine().inspect("databroker").path("State").path("Status").asText()).isEqualTo("created");
        assertThat(fixture.engine().inspect("seatservice-example")).isNull();
        assertThat(fixture.engine().inspect("feedercan")).isNull();
        fixture.command(activity, "UPDATE");
        fixture.await(activity, "UPDATE_SUCCESS");
        fixture.command(activity, "ACTIVATE");
        fixture.await(activity, "ACTIVATION_SUCCESS");
        fixture.command(activity, "CLEANUP");
        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).as("final feedback: %s", end).isEqualTo("COMPLETED");
        assertThat(fixture.statuses(activity)).startsWith("IDENTIFYING", "IDENTIFIED").endsWith("ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        assertDeployed(brokerPort, seatPort);
    }

    private static void assertDroppedPortIsNamed(JsonNode identified) {
        assertThat(identified.path("message").asText()).contains("component databroker: port \"localhost:")
                .contains(":30556-30557/tcp\" is dropped (invalid port mapping");
    }

    private static void assertDeployed(int brokerPort, int seatPort) throws Exception {
        for (String name : NAMES) {
            JsonNode c = fixture.engine().inspect(name);
            assertThat(c.path("State").path("Running").asBoolean()).as(name + " runs").isTrue();
            // Kanto's host name, which the peers' container_databroker-host relies on
            assertThat(c.path("Config").path("Hostname").asText()).isEqualTo(name + "-host");
            assertThat(c.path("HostConfig").path("LogConfig").path("Config").path("max-file").asText()).isEqualTo("2");
            assertThat(c.path("HostConfig").path("LogConfig").path("Config").path("max-size").asText())
                    .isEqualTo("1M");
        }
        String brokerIp = fixture.engine().inspect("databroker").path("NetworkSettings").path("IPAddress").asText();
        for (String client : List.of("seatservice-example", "feedercan")) {
            assertThat(exec(client, "cat", "/etc/hosts")).contains(brokerIp + "\tdatabroker-host");
            assertThat(exec(client, "wget", "-q", "-O", "-", "http://databroker-host:30555/")).isEqualTo("databroker");
        }
        assertThat(exec("seatservice-example", "sh", "-c", "echo $BROKER_ADDR")).isEqualTo("databroker-host:30555");
        assertThat(exec("feedercan", "sh", "-c", "test -c /dev/can-stand-in && echo device")).isEqualTo("device");
        // Leda's localhost:<port>:30555-30555/tcp is localhost port <port> to container port 30555
        JsonNode bindings = fixture.engine().inspect("databroker").path("HostConfig").path("PortBindings");
        assertThat(bindings.path("30555/tcp").get(0).path("HostIp").asText()).isEqualTo("127.0.0.1");
        assertThat(bindings.has("30556/tcp")).isFalse();
        assertThat(get("http://127.0.0.1:" + brokerPort + "/")).isEqualTo("databroker\n");
        assertThat(get("http://127.0.0.1:" + seatPort + "/")).isEqualTo("seat\n");
    }

    private static String exec(String container, String... command) {
        String[] args = new String[command.length + 2];
        args[0] = "exec";
        args[1] = container;
        System.arraycopy(command, 0, args, 2, command.length);
        return fixture.engine().docker(args).strip();
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}

package io.gantry.ditto;

import static io.gantry.ditto.TwinHarness.T;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.golden.GoldenJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SoftwareUpdatable feature: reference/kanto-things.md §3.3, statements 37–44 of §5. */
class SoftwareUpdatableTest {

    private static final String DESCRIPTOR = "{\"container_name\":\"influxdb\",\"image\":{\"name\":\""
            + TwinHarness.IMAGE + "\"},\"host_config\":{\"restart_policy\":{\"type\":\"unless-stopped\"}}}";
    private static final String LAST = "/features/SoftwareUpdatable/properties/status/lastOperation";
    private static final String LAST_FAILED = "/features/SoftwareUpdatable/properties/status/lastFailedOperation";

    @TempDir
    Path stateDir;
    private TwinHarness h;
    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/influxdb.json", 200, DESCRIPTOR);
        serve("/missing.json", 404, "not here");
        serve("/not-json.json", 200, "{container_name");
        serve("/invalid.json", 200, "{\"container_name\":\"bad name!\",\"image\":{\"name\":\"busybox\"}}");
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        h = new TwinHarness(stateDir).started();
        h.transport.clear();
    }

    @AfterEach
    void tearDown() {
        h.close();
        server.stop(0);
    }

    private void serve(String path, int status, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    private static String hash(String algorithm, String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                .digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends the golden install request with the artifact's URL and checksums filled in. */
    private void install(String url, String checksums) {
        String request = GoldenJson.read("golden/inbound/install-request.json").toString()
                .replace("\"ARTIFACT_URL\"", "\"" + url + "\"")
                .replace("{\"MD5\":\"ARTIFACT_MD5\"}", checksums);
        h.send("command//" + T + "/req/r1/install", request);
    }

    private List<String> statuses(String path) {
        return h.eventsAt(path).stream().map(e -> e.at("/value/status").asText()).toList();
    }

    @Test
    void statement37_installWithoutModulesOrArtifacts_is400() {
        h.cmd("install", "SoftwareUpdatable", "{}");
        assertThat(h.replyJson().at("/value").toString()).isEqualTo("{\"error\":\"messages:parameter.invalid\","
                + "\"status\":400,\"message\":\"there are no SoftwareModules to be installed\"}");

        h.cmd("install", "SoftwareUpdatable", "{\"softwareModules\":[{\"softwareModule\":{\"name\":\"a\","
                + "\"version\":\"1\"}}]}");
        assertThat(h.replyJson().at("/value/message").asText()).isEqualTo(
                "there are no SoftwareArtifacts referenced for SoftwareModule [Name.version] = [a.1]");
        assertThat(h.replyJson().at("/value/status").asInt()).isEqualTo(400);
    }

    @Test
    void statement38_validInstall_reportsEveryStep_andCreatesAndStartsTheContainer() throws Exception {
        install(baseUrl + "/influxdb.json", "{\"MD5\":\"" + hash("MD5", DESCRIPTOR) + "\"}");

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/204");
        assertThat(statuses(LAST)).containsExactly("STARTED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "INSTALLED",
                "FINISHED_SUCCESS");
        GoldenJson.assertMatches("golden/modify-property-last-operation-started.json", h.eventsAt(LAST).get(0));
        GoldenJson.assertMatches("golden/modify-property-last-operation-finished-success.json",
                h.eventsAt(LAST).get(5));
        Container created = h.engine.list().get(0);
        assertThat(created.name().value()).isEqualTo("influxdb");
        assertThat(created.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(h.eventsAt("/features/Container:" + created.id())).hasSize(1);
        assertThat(h.eventsAt(LAST_FAILED)).isEmpty();
        // The reply went out before the work started.
        assertThat(h.timeline.timeline.indexOf("PUBLISH command//" + T + "/res/r1/204 install "
                + "/features/SoftwareUpdatable/outbox/messages/install"))
                .isLessThan(h.timeline.timeline.indexOf("PUBLISH " + TwinHarness.E + " modify " + LAST));
    }

    @Test
    void statement39_wrongMd5_isRejected_failedOperationFirst() {
        install(baseUrl + "/influxdb.json", "{\"MD5\":\"00000000000000000000000000000000\"}");

        assertThat(h.events().stream().map(e -> e.path("path").asText()).toList())
                .containsSubsequence(LAST_FAILED, LAST);
        GoldenJson.assertMatches("golden/modify-property-last-failed-operation-rejected.json",
                h.eventsAt(LAST_FAILED).get(0));
        assertThat(statuses(LAST)).containsExactly("STARTED", "DOWNLOADING", "FINISHED_REJECTED");
        assertThat(h.engine.list()).isEmpty();
    }

    @Test
    void statement39_unreachableUrl_isFinishedError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        install("http://127.0.0.1:" + closedPort + "/x.json", "{}");

        JsonNode failed = h.eventsAt(LAST_FAILED).get(0).path("value");
        assertThat(failed.path("status").asText()).isEqualTo("FINISHED_ERROR");
        assertThat(failed.path("message").asText()).startsWith("GET http://127.0.0.1:" + closedPort + "/x.json: ");
    }

    /** Checksum and artifact failures: which final status and message each one gets. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sha1 mismatch          | /influxdb.json | {"SHA1":"0000000000000000000000000000000000000000"}     | FINISHED_REJECTED | sha1 checksum does not match
            sha256 mismatch        | /influxdb.json | {"SHA256":"00"}                                         | FINISHED_REJECTED | sha256 checksum does not match
            md5 not hex            | /influxdb.json | {"MD5":"xyz"}                                           | FINISHED_REJECTED | the provided input hash is either invalid, not a hex string or the length exceeds 16 bytes
            md5 holding a sha1     | /influxdb.json | {"MD5":"0000000000000000000000000000000000000000"}     | FINISHED_REJECTED | the provided input hash is either invalid, not a hex string or the length exceeds 16 bytes
            http 404               | /missing.json  | {}                                                      | FINISHED_ERROR    | GET BASE/missing.json: HTTP status 404
            not a descriptor       | /not-json.json | {}                                                      | FINISHED_ERROR    | not valid JSON
            invalid descriptor     | /invalid.json  | {}                                                      | FINISHED_REJECTED | container_name: invalid container name format : bad name!
            """)
    void installFailure_endsWithItsStatusAndMessage(String name, String path, String checksums, String status,
                                                    String message) {
        install(baseUrl + path, checksums);

        JsonNode last = h.eventsAt(LAST).get(h.eventsAt(LAST).size() - 1).path("value");
        assertThat(last.path("status").asText()).isEqualTo(status);
        assertThat(last.path("message").asText()).startsWith(message.replace("BASE", baseUrl));
        assertThat(h.eventsAt(LAST_FAILED).get(0).path("value")).isEqualTo(last);
    }

    @Test
    void installWithoutChecksum_isInstalled() {
        install(baseUrl + "/influxdb.json", "{}");

        assertThat(statuses(LAST)).last().isEqualTo("FINISHED_SUCCESS");
    }

    @Test
    void installOfANameInUse_isFinishedErrorAfterInstalling() {
        h.container("influxdb");

        install(baseUrl + "/influxdb.json", "{}");

        assertThat(statuses(LAST)).containsExactly("STARTED", "DOWNLOADING", "DOWNLOADED", "INSTALLING",
                "FINISHED_ERROR");
        assertThat(h.eventsAt(LAST).get(4).at("/value/message").asText()).contains("already in use");
    }

    @Test
    void statement40_removeWithoutSoftware_is400() {
        h.cmd("remove", "SoftwareUpdatable", "{\"software\":[]}");

        assertThat(h.replyJson().at("/value/status").asInt()).isEqualTo(400);
        assertThat(h.replyJson().at("/value/message").asText())
                .isEqualTo("there are no DependencyDescriptions to be removed");
    }

    @Test
    void statement41_removeExisting_reportsRemovingRemovedSuccess_andTheContainerGoes() {
        ContainerId c = h.container("web");
        h.engine.start(c);
        h.transport.clear();

        h.sendGolden("software-remove-request.json");

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/204");
        assertThat(statuses(LAST)).containsExactly("REMOVING", "REMOVED", "FINISHED_SUCCESS");
        GoldenJson.assertMatches("golden/modify-property-last-operation-removing.json", h.eventsAt(LAST).get(0));
        assertThat(h.eventsAt(LAST).get(2).at("/value/correlationId").asText()).isEqualTo("k");
        assertThat(h.engine.inspect(c)).isEmpty();
        assertThat(h.eventsAt("/features/Container:" + c)).hasSize(1);
    }

    @Test
    void remove_publishesInstalledDependenciesWithoutTheContainer_beforeRemoved_asKanto() {
        ContainerId c = h.container("web");
        h.engine.start(c);
        h.transport.clear();

        h.sendGolden("software-remove-request.json");

        // Kanto's order (its ctr_software_updatable integration test): the container's removal and the new
        // installedDependencies, then lastOperation REMOVED.
        List<String> order = h.events().stream().map(e -> e.path("path").asText()
                + (e.path("path").asText().equals(LAST) ? " " + e.at("/value/status").asText() : "")).toList();
        assertThat(order).containsSubsequence(LAST + " REMOVING", "/features/Container:" + c,
                "/features/SoftwareUpdatable/properties/status/installedDependencies", LAST + " REMOVED",
                LAST + " FINISHED_SUCCESS");
    }

    @Test
    void statement42_removeOfAMissingContainer_isFinishedError() {
        h.cmd("remove", "SoftwareUpdatable", "{\"correlationId\":\"k\",\"forced\":true,\"software\":[{\"name\":\"N\"}]}");

        assertThat(h.reply().topic()).endsWith("/204");
        assertThat(statuses(LAST)).containsExactly("REMOVING", "FINISHED_ERROR");
        assertThat(h.eventsAt(LAST_FAILED).get(0).at("/value/message").asText())
                .isEqualTo("container with ID = N does not exist");
    }

    @Test
    void removeBatch_notForced_rejectsTheRestAfterAFailure_andEndsWithTheSuccess() {
        ContainerId a = h.container("a");
        ContainerId b = h.container("b");

        h.cmd("remove", "SoftwareUpdatable", "{\"correlationId\":\"k\",\"forced\":false,\"software\":[{\"name\":\""
                + a + "\"},{\"name\":\"N\"},{\"name\":\"" + b + "\"}]}");

        assertThat(statuses(LAST)).containsExactly("REMOVING", "REMOVED", "REMOVING", "FINISHED_REJECTED",
                "FINISHED_ERROR", "FINISHED_SUCCESS");
        assertThat(statuses(LAST_FAILED)).containsExactly("FINISHED_REJECTED", "FINISHED_ERROR");
        assertThat(h.eventsAt(LAST_FAILED).get(0).at("/value/software/0/name").asText()).isEqualTo(b.value());
        assertThat(h.engine.inspect(b)).isPresent();
    }

    @Test
    void removeBatch_forced_withTwoFailures_compoundsTheMessages() {
        h.cmd("remove", "SoftwareUpdatable", "{\"forced\":true,\"software\":[{\"name\":\"N1\"},{\"name\":\"N2\"}]}");

        assertThat(h.eventsAt(LAST_FAILED).get(0).at("/value/message").asText()).isEqualTo(
                "2 errors:\n\n* container with ID = N1 does not exist\n* container with ID = N2 does not exist");
    }

    @Test
    void statement43_otherOperations_are404() {
        h.cmd("download", "SoftwareUpdatable", "{}");

        assertThat(h.replyJson().at("/value").toString()).isEqualTo("{\"error\":\"messages:subject.notfound\","
                + "\"status\":404,\"message\":\"unsupported operation called [operationId = download]\"}");
    }
}

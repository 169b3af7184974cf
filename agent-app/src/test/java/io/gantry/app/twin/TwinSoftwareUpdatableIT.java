package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Reply;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SoftwareUpdatable feature end to end (reference/kanto-things.md §3.3, statements 37–43 of §5): an install
 * downloads a container descriptor from a real HTTP server, checks its checksum and creates and starts the container
 * on the real engine; a remove removes it; every step shows in {@code lastOperation}.
 */
class TwinSoftwareUpdatableIT {

    private static final String LAST = "/features/SoftwareUpdatable/properties/status/lastOperation";
    private static final String LAST_FAILED = "/features/SoftwareUpdatable/properties/status/lastFailedOperation";

    @RegisterExtension
    static final TwinTestbed bed = TwinTestbed.withKantoDevice("twin-su");
    private static DittoProbe cloud;
    private static TestContainers docker;
    private static HttpServer server;
    private static String descriptor;

    @BeforeAll
    static void startServer() throws IOException {
        cloud = bed.probe();
        docker = bed.containers();
        descriptor = "{\"container_name\":\"" + docker.name("installed") + "\",\"image\":{\"name\":\""
                + TestImages.BUSYBOX + "\"},\"host_config\":{\"restart_policy\":{\"type\":\"no\"}}}";
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/app.json", exchange -> {
            byte[] body = descriptor.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String url(String file) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + file;
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String installAction(String correlationId, String url, String checksums) {
        return "{\"correlationId\":\"" + correlationId + "\",\"forced\":true,\"weight\":0,\"metadata\":{},"
                + "\"softwareModules\":[{\"softwareModule\":{\"name\":\"app\",\"version\":\"1.0\"},\"metadata\":{},"
                + "\"artifacts\":[{\"filename\":\"app.json\",\"size\":" + descriptor.length() + ","
                + "\"download\":{\"HTTP\":{\"url\":\"" + url + "\"}},\"checksums\":" + checksums + "}]}]}";
    }

    /** Waits for {@code lastOperation} to end with {@code status} for {@code correlationId}; all its statuses. */
    private static List<JsonNode> operationUntil(String correlationId, String status) {
        cloud.awaitEvent(e -> path(e).equals(LAST) && e.at("/value/correlationId").asText().equals(correlationId)
                && e.at("/value/status").asText().equals(status));
        return cloud.events().stream().filter(e -> path(e).equals(LAST)
                && e.at("/value/correlationId").asText().equals(correlationId)).map(e -> e.path("value")).toList();
    }

    private static List<String> statuses(List<JsonNode> operations) {
        return operations.stream().map(o -> o.path("status").asText()).toList();
    }

    @Test
    void statement37_installWithoutModulesOrArtifacts_is400() {
        Reply none = cloud.command("install", "SoftwareUpdatable", "{}");
        assertThat(none.value().toString()).isEqualTo("{\"error\":\"messages:parameter.invalid\",\"status\":400,"
                + "\"message\":\"there are no SoftwareModules to be installed\"}");

        Reply noArtifacts = cloud.command("install", "SoftwareUpdatable", "{\"softwareModules\":[{\"softwareModule\":"
                + "{\"name\":\"a\",\"version\":\"1\"}}]}");
        assertThat(noArtifacts.status()).isEqualTo(400);
        assertThat(noArtifacts.message())
                .isEqualTo("there are no SoftwareArtifacts referenced for SoftwareModule [Name.version] = [a.1]");
    }

    @Test
    void statement38and41_installCreatesAndStartsTheContainer_andRemoveRemovesIt() throws Exception {
        Reply install = cloud.command("install", "SoftwareUpdatable",
                installAction("install-ok", url("app.json"), "{\"MD5\":\"" + md5(descriptor) + "\"}"));

        assertThat(install.status()).isEqualTo(204);
        List<JsonNode> steps = operationUntil("install-ok", "FINISHED_SUCCESS");
        assertThat(statuses(steps)).containsExactly("STARTED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "INSTALLED",
                "FINISHED_SUCCESS");
        assertThat(steps).allSatisfy(s -> assertThat(s.path("softwareModule").toString())
                .isEqualTo("{\"name\":\"app\",\"version\":\"1.0\"}"));
        String id = docker.inspect(docker.name("installed"), "{{.Id}}");
        assertThat(docker.inspect(id, "{{.State.Status}} {{.HostConfig.RestartPolicy.Name}}")).isEqualTo("running no");
        cloud.awaitFeature(id);
        cloud.awaitStatus(id, "RUNNING");
        assertThat(cloud.eventsUnder(LAST_FAILED)).isEmpty();
        cloud.forget();

        Reply remove = cloud.command("remove", "SoftwareUpdatable",
                "{\"correlationId\":\"k\",\"forced\":true,\"software\":[{\"name\":\"" + id + "\"}]}");

        assertThat(remove.status()).isEqualTo(204);
        List<JsonNode> removal = operationUntil("k", "FINISHED_SUCCESS");
        assertThat(statuses(removal)).containsExactly("REMOVING", "REMOVED", "FINISHED_SUCCESS");
        assertThat(removal.get(0).path("software").toString())
                .isEqualTo("[{\"name\":\"" + id + "\",\"version\":\"\"}]");
        cloud.awaitDeleted(id);
        assertThat(cloud.containerEvents(id)).containsExactly("modify /properties/status/state DEAD", "delete ");
        assertThat(docker.exists(id)).isFalse();
    }

    @Test
    void statement39_wrongMd5_isRejected_failedOperationFirst() {
        Reply install = cloud.command("install", "SoftwareUpdatable", installAction("install-md5", url("app.json"),
                "{\"MD5\":\"00000000000000000000000000000000\"}"));

        assertThat(install.status()).isEqualTo(204);
        List<JsonNode> steps = operationUntil("install-md5", "FINISHED_REJECTED");
        assertThat(steps.get(steps.size() - 1).path("message").asText()).isEqualTo("md5 checksum does not match");
        JsonNode failed = cloud.eventsUnder(LAST_FAILED).get(0);
        assertThat(failed.path("value")).isEqualTo(steps.get(steps.size() - 1));
        List<String> paths = cloud.events().stream().map(DittoProbe::path)
                .filter(p -> p.equals(LAST) || p.equals(LAST_FAILED)).toList();
        assertThat(paths.subList(paths.size() - 2, paths.size())).containsExactly(LAST_FAILED, LAST);
        assertThat(docker.exists(docker.name("installed"))).isFalse();
    }

    @Test
    void statement39_unreachableUrl_isFinishedError() throws Exception {
        String nowhere = "http://127.0.0.1:" + io.gantry.app.testing.Processes.freePort() + "/app.json";

        cloud.command("install", "SoftwareUpdatable", installAction("install-url", nowhere,
                "{\"MD5\":\"" + md5(descriptor) + "\"}"));

        List<JsonNode> steps = operationUntil("install-url", "FINISHED_ERROR");
        assertThat(steps.get(steps.size() - 1).path("message").asText()).isNotEmpty();
        assertThat(cloud.eventsUnder(LAST_FAILED)).hasSize(1);
    }

    @Test
    void statement40_removeWithoutSoftware_is400() {
        Reply reply = cloud.command("remove", "SoftwareUpdatable", "{\"software\":[]}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("there are no DependencyDescriptions to be removed");
    }

    @Test
    void statement42_removeOfAMissingContainer_isFinishedError() {
        String missing = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        Reply reply = cloud.command("remove", "SoftwareUpdatable",
                "{\"correlationId\":\"gone\",\"forced\":true,\"software\":[{\"name\":\"" + missing + "\"}]}");

        assertThat(reply.status()).isEqualTo(204);
        List<JsonNode> steps = operationUntil("gone", "FINISHED_ERROR");
        assertThat(statuses(steps)).containsExactly("REMOVING", "FINISHED_ERROR");
        assertThat(steps.get(1).path("message").asText())
                .isEqualTo("container with ID = " + missing + " does not exist");
        assertThat(cloud.eventsUnder(LAST_FAILED).get(0).path("value")).isEqualTo(steps.get(1));
    }

    @Test
    void statement43_otherOperations_are404() {
        Reply reply = cloud.command("download", "SoftwareUpdatable", "{}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("unsupported operation called [operationId = download]");
    }
}

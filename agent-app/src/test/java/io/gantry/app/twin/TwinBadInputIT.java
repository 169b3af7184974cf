package io.gantry.app.twin;

import static io.gantry.app.testing.DittoProbe.containerPath;
import static io.gantry.app.testing.DittoProbe.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.DittoProbe.Reply;
import io.gantry.app.testing.TestContainers;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import io.gantry.core.golden.GoldenJson;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table of issue 3 end to end, through a real broker to the real agent: each row is a payload and the
 * reply it gets (reference/kanto-things.md §2.2 and §2.4, forms A, B and C; statements 29–31, 34 and 35 of §5), or,
 * for a one-way command, the WARN line that is all it gets. After every row the agent still answers a valid command
 * and the twin still tells the truth about the test's container. (The engine being down is in
 * {@link TwinEngineRestartIT}, a container vanishing under a queued command in {@link TwinCommandsIT}.)
 */
class TwinBadInputIT {

    private static final String T = TwinTestbed.KANTO.thingId();
    private static final String P = TwinTestbed.KANTO.topicPrefix();
    private static final String HEADERS = "\"headers\":{\"correlation-id\":\"c1\",\"response-required\":true}";
    private static final String BAD_HEADERS = "invalid Ditto message received for device id [" + T + "]: ";
    private static final String CREATE = "/features/ContainerFactory/inbox/messages/create";
    private static final AtomicInteger ROWS = new AtomicInteger();

    @RegisterExtension
    static final TwinTestbed bed = TwinTestbed.withKantoDevice("twin-bad");
    private static DittoProbe cloud;
    private static TestContainers docker;
    private static String target;
    private static String gone;

    /** Form of the expected reply: none (one-way), B (unknown topic, no correlation), A (request path), C (outbox). */
    enum Form { NONE, A, B, C }

    @BeforeAll
    static void containers() {
        cloud = bed.probe();
        docker = bed.containers();
        target = bed.running("target");
        gone = bed.running("gone");
        docker.docker("rm", "-f", gone);
        cloud.awaitDeleted(gone);
    }

    /** The agent still answers, acts and publishes: a rename of the test's container, checked against Docker. */
    @AfterEach
    void theAgentCarriesOn_andTheTwinIsStillTrue() {
        String name = docker.name("n" + ROWS.incrementAndGet());
        assertThat(cloud.command("rename", "Container:" + target, "\"" + name + "\"").status()).isEqualTo(204);
        cloud.awaitEvent(e -> path(e).equals(containerPath(target) + "/properties/status/name")
                && e.path("value").asText().equals(name));
        assertThat(docker.inspect(target, "{{.Name}} {{.State.Status}}")).isEqualTo("/" + name + " running");
        assertThat(bed.agent().errors()).isEmpty();
    }

    private static Arguments row(String name, String payload, Form form, int status, String message) {
        return Arguments.of(name, false, payload, form, status, message);
    }

    private static Arguments oneWay(String name, String payload, String warning) {
        return Arguments.of(name, true, payload, Form.NONE, 0, warning);
    }

    private static String envelope(String headers, String path, String value) {
        return TwinTestbed.KANTO.envelope(headers, path, value);
    }

    private static String withValue(String path, String value) {
        return envelope("\"headers\":{\"correlation-id\":\"c1\",\"response-required\":true,"
                + "\"content-type\":\"application/json\"}", path, value);
    }

    static Stream<Arguments> table() {
        String container = "/features/Container:" + target + "/inbox/messages/";
        String parsing = "error parsing Ditto message received for device id [" + T + "]";
        String invalid = "invalid Ditto message received for device id [" + T + "]";
        return Stream.of(
                row("invalid JSON", "{not json", Form.B, 400, parsing),
                row("no topic", "{" + HEADERS + ",\"path\":\"" + CREATE + "\"}", Form.B, 400, invalid),
                row("no path", "{\"topic\":\"" + P + "/things/live/messages/create\"," + HEADERS + "}", Form.B, 400,
                        invalid),
                row("payload over the 256 KiB limit, not even JSON", "{" + " ".repeat(300 * 1024), Form.B, 400,
                        "the Ditto message received for device id [" + T + "] is larger than the limit of 262144 bytes"),
                row("response-required as a string", envelope("\"headers\":{\"correlation-id\":\"c1\","
                        + "\"response-required\":\"true\"}", container + "start", null), Form.A, 400,
                        BAD_HEADERS + "response-required header must be true or false"),
                row("numeric correlation id", envelope("\"headers\":{\"correlation-id\":42,"
                        + "\"response-required\":true}", container + "start", null), Form.A, 400,
                        BAD_HEADERS + "correlation id header must be a string"),
                row("no correlation id", envelope("\"headers\":{\"response-required\":true}", container + "start",
                        null), Form.A, 400, BAD_HEADERS + "correlation id header is missing"),
                row("a value without content type", envelope(HEADERS, container + "stopWithOptions", "{}"), Form.A,
                        400, BAD_HEADERS + "missing content type header"),
                row("content type text/plain", envelope("\"headers\":{\"correlation-id\":\"c1\","
                        + "\"response-required\":true,\"content-type\":\"text/plain\"}", container + "stopWithOptions",
                        "{}"), Form.A, 400, BAD_HEADERS + "unsupported content type header text/plain"),
                row("a content type without value", envelope("\"headers\":{\"correlation-id\":\"c1\","
                        + "\"response-required\":true,\"content-type\":\"application/json\"}", container + "pause", null),
                        Form.A, 400, BAD_HEADERS + "unexpected content type header application/json"),
                row("another thing in the envelope", "{\"topic\":\"other/thing/things/live/messages/start\"," + HEADERS
                        + ",\"path\":\"" + container + "start\"}", Form.A, 404, "thing with ID = " + T
                        + " is not found"),
                row("unknown feature", envelope(HEADERS, "/features/Nope/inbox/messages/start", null), Form.A, 400,
                        "feature [Nope] not found "),
                row("a container that is gone", envelope(HEADERS, "/features/Container:" + gone
                        + "/inbox/messages/start", null), Form.A, 400, "feature [Container:" + gone + "] not found "),
                row("a path without operation", envelope(HEADERS, "/features/ContainerFactory/properties", null),
                        Form.A, 400, "missing operation name for device id [" + T + "]"),
                row("a thing-level operation", envelope(HEADERS, "/inbox/messages/x", null), Form.A, 404,
                        "the target thing ID = " + T + " does not have e registered operations handler - thus, the"
                                + " command will not be processed"),
                row("unknown operation", envelope(HEADERS, container + "explode", null), Form.C, 404,
                        "unsupported operation explode"),
                row("stopWithOptions timeout as a string", withValue(container + "stopWithOptions",
                        "{\"timeout\":\"10\"}"), Form.C, 400, "timeout: expected a whole number, got the string \"10\""),
                row("rename to an object", withValue(container + "rename", "{\"n\":1}"), Form.C, 400,
                        "expected a string, got an object"),
                row("create with start as a string", withValue(CREATE, "{\"imageRef\":\"" + TestImages.BUSYBOX
                        + "\",\"start\":\"yes\"}"), Form.C, 400, "start: expected true or false, got the string \"yes\""),
                row("install module without softwareModule", withValue(
                        "/features/SoftwareUpdatable/inbox/messages/install", "{\"softwareModules\":[{\"artifacts\":"
                                + "[{}]}]}"), Form.C, 400, "softwareModules[0].softwareModule: every software module"
                                + " needs its softwareModule (name and version)"),
                oneWay("one-way invalid JSON", "{not json", "Dropped one-way command for " + T),
                oneWay("one-way unknown feature", envelope(HEADERS, "/features/Nope/inbox/messages/start", null),
                        "Rejected one-way command on /features/Nope/inbox/messages/start: status=400"),
                oneWay("one-way start of a running container", envelope(HEADERS, container + "start", null),
                        "Rejected one-way command on " + container + "start: status=500"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void badInput_getsItsReplyOrAWarning(String name, boolean oneWay, String payload, Form form, int status,
                                         String message) {
        if (oneWay) {
            cloud.mqtt().publish("command//" + T + "/req//x", payload);
            await().atMost(Duration.ofSeconds(10)).until(() -> bed.agent().warnings().stream()
                    .anyMatch(w -> w.contains(message)));
            cloud.command("foo", "ContainerFactory", null);
            assertThat(cloud.replies()).hasSize(1);
            return;
        }
        Reply reply = cloud.raw(payload);

        assertThat(reply.topicStatus()).isEqualTo(status);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.message()).isEqualTo(message);
        assertThat(reply.value().path("error").asText())
                .isEqualTo(status == 400 ? "messages:parameter.invalid" : "messages:subject.notfound");
        switch (form) {
            case B -> {
                assertThat(reply.envelope().path("topic").asText()).isEqualTo("unknown/unknown/things/twin/errors");
                assertThat(reply.path()).isEqualTo("/");
                assertThat(reply.envelope().path("headers").has("correlation-id")).isFalse();
            }
            case A -> assertThat(reply.path()).isEqualTo(GoldenJson.parse(payload).path("path").asText());
            case C -> assertThat(reply.path()).contains("/outbox/");
            default -> throw new IllegalStateException(name);
        }
        if (name.equals("numeric correlation id")) {
            assertThat(reply.envelope().at("/headers/correlation-id").asText()).isEqualTo("42");
        }
    }
}

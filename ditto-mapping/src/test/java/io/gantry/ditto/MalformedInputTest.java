package io.gantry.ditto;

import static io.gantry.ditto.TwinHarness.P;
import static io.gantry.ditto.TwinHarness.T;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.AgentConfig;
import io.gantry.config.ByteSize;
import io.gantry.config.ConnectionConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.golden.GoldenJson;
import io.gantry.ditto.inbound.Replies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, each row a payload and the reply it gets (reference/kanto-things.md §2.2, §2.4 and the Go defects of §7
 * not to copy): nothing escapes the router, one-way commands get no reply, and the twin carries on.
 */
class MalformedInputTest {

    private static final String REQ = "command//" + T + "/req/r1/x";
    private static final String ONE_WAY = "command//" + T + "/req//x";
    private static final String C1 = "0000000000000000000000000000000000000000000000000000000000000001";
    private static final String CREATE_PATH = "/features/ContainerFactory/inbox/messages/create";
    private static final String HEADERS = "\"headers\":{\"correlation-id\":\"c1\",\"response-required\":true}";
    private static final String BAD_HEADERS = "invalid Ditto message received for device id [" + T + "]: ";

    @TempDir
    Path stateDir;
    private TwinHarness h;

    @BeforeEach
    void setUp() {
        h = new TwinHarness(stateDir).started();
        h.container("web");
        h.transport.clear();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** Form of the expected reply: B (unknown topic, no correlation), A (request path), C (outbox path). */
    enum Form { NONE, A, B, C }

    private static Arguments row(String name, String topic, String payload, Form form, int status, String message) {
        return Arguments.of(name, topic, payload, form, status, message);
    }

    /** An envelope whose topic names the same message subject as its path, as a well-behaved sender's does. */
    private static String envelope(String headers, String path, String value) {
        String subject = path.substring(path.lastIndexOf('/') + 1);
        return "{\"topic\":\"" + P + "/things/live/messages/" + subject + "\"," + headers + ",\"path\":\"" + path + "\""
                + (value == null ? "" : ",\"value\":" + value) + "}";
    }

    private static String withValue(String path, String value) {
        return envelope("\"headers\":{\"correlation-id\":\"c1\",\"response-required\":true,"
                + "\"content-type\":\"application/json\"}", path, value);
    }

    static Stream<Arguments> table() {
        String parsing = "error parsing Ditto message received for device id [" + T + "]";
        String invalid = "invalid Ditto message received for device id [" + T + "]";
        String container = "/features/Container:" + C1 + "/inbox/messages/";
        return Stream.of(
                row("not JSON", REQ, "{not json", Form.B, 400, parsing),
                row("empty payload", REQ, "", Form.B, 400, parsing),
                row("JSON null", REQ, "null", Form.B, 400, parsing),
                row("JSON array", REQ, "[1,2]", Form.B, 400, parsing),
                row("JSON string", REQ, "\"create\"", Form.B, 400, parsing),
                row("trailing garbage", REQ, "{\"topic\":\"a\"} {}", Form.B, 400, parsing),
                row("topic is a number", REQ, "{\"topic\":5," + HEADERS + ",\"path\":\"" + CREATE_PATH + "\"}",
                        Form.B, 400, parsing),
                row("headers is an array", REQ, "{\"topic\":\"" + P + "/things/live/messages/x\",\"headers\":[],"
                        + "\"path\":\"" + CREATE_PATH + "\"}", Form.B, 400, parsing),
                row("deeply nested value", REQ, "{\"value\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                        Form.B, 400, parsing),
                row("no path", REQ, "{\"topic\":\"" + P + "/things/live/messages/x\"," + HEADERS + "}",
                        Form.B, 400, invalid),
                row("no topic", REQ, "{" + HEADERS + ",\"path\":\"" + CREATE_PATH + "\"}", Form.B, 400, invalid),
                row("two-segment topic", REQ, "{\"topic\":\"a/b\"," + HEADERS + ",\"path\":\"" + CREATE_PATH + "\"}",
                        Form.B, 400, "invalid Ditto message topic received for device id [" + T + "]"),
                row("response-required as a string", REQ, envelope("\"headers\":{\"correlation-id\":\"c1\","
                        + "\"response-required\":\"true\"}", container + "start", null), Form.A, 400,
                        BAD_HEADERS + "response-required header must be true or false"),
                row("numeric correlation id", REQ, envelope("\"headers\":{\"correlation-id\":42,"
                        + "\"response-required\":true}", container + "start", null), Form.A, 400,
                        BAD_HEADERS + "correlation id header must be a string"),
                row("empty correlation id", REQ, envelope("\"headers\":{\"correlation-id\":\"\","
                        + "\"response-required\":true}", container + "start", null), Form.A, 400,
                        BAD_HEADERS + "correlation id header is missing"),
                row("unknown feature", REQ, envelope(HEADERS, "/features/Nope/inbox/messages/start", null),
                        Form.A, 400, "feature [Nope] not found "),
                row("unknown container operation", REQ, envelope(HEADERS, container + "explode", null),
                        Form.C, 404, "unsupported operation explode"),
                row("stopWithOptions timeout as a string", REQ, withValue(container + "stopWithOptions",
                        "{\"timeout\":\"10\"}"), Form.C, 400, "timeout: expected a whole number, got the string \"10\""),
                row("stopWithOptions value not an object", REQ, withValue(container + "stopWithOptions", "[1]"),
                        Form.C, 400, "expected an object, got an array"),
                row("create value is a string", REQ, withValue(CREATE_PATH, "\"influxdb\""), Form.C, 400,
                        "expected an object, got the string \"influxdb\""),
                row("create start as a string", REQ, withValue(CREATE_PATH, "{\"imageRef\":\"busybox\","
                        + "\"start\":\"yes\"}"), Form.C, 400, "start: expected true or false, got the string \"yes\""),
                row("install value is an array", REQ, withValue("/features/SoftwareUpdatable/inbox/messages/install",
                        "[]"), Form.C, 400, "expected an object, got an array"),
                row("install module without softwareModule", REQ,
                        withValue("/features/SoftwareUpdatable/inbox/messages/install",
                                "{\"softwareModules\":[{\"artifacts\":[{}]}]}"), Form.C, 400,
                        "softwareModules[0].softwareModule: every software module needs its softwareModule"
                                + " (name and version)"),
                row("install artifact without a URL", REQ,
                        withValue("/features/SoftwareUpdatable/inbox/messages/install", "{\"softwareModules\":[{"
                                + "\"softwareModule\":{\"name\":\"a\",\"version\":\"1\"},\"artifacts\":[{\"download\":{"
                                + "\"FTP\":{\"url\":\"ftp://x\"}}}]}]}"), Form.C, 400,
                        "softwareModules[0].artifacts[0].download: an artifact needs an HTTP or HTTPS url"),
                row("install artifact with a file URL", REQ,
                        withValue("/features/SoftwareUpdatable/inbox/messages/install", "{\"softwareModules\":[{"
                                + "\"softwareModule\":{\"name\":\"a\",\"version\":\"1\"},\"artifacts\":[{\"download\":{"
                                + "\"HTTP\":{\"url\":\"file:///etc/passwd\"}}}]}]}"), Form.C, 400,
                        "softwareModules[0].artifacts[0].download: \"file:///etc/passwd\" is not an http:// or"
                                + " https:// URL"),
                row("software remove item not an object", REQ,
                        withValue("/features/SoftwareUpdatable/inbox/messages/remove", "{\"software\":[\"x\"]}"),
                        Form.C, 400, "software[0]: expected an object, got the string \"x\""),
                row("one-way invalid JSON", ONE_WAY, "{not json", Form.NONE, 0, ""),
                row("one-way unknown feature", ONE_WAY, envelope(HEADERS, "/features/Nope/inbox/messages/start", null),
                        Form.NONE, 0, ""),
                row("response-required false, bad headers", REQ, envelope("\"headers\":{\"response-required\":false}",
                        container + "start", null), Form.NONE, 0, ""),
                row("not a command topic", "command//" + T + "/res/r1/200", "{}", Form.NONE, 0, ""),
                row("inbound twin event", "command//" + T + "/req//modified", "{not json", Form.NONE, 0, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void badInput_getsItsReply_andNothingEscapes(String name, String topic, String payload, Form form, int status,
                                                 String message) {
        h.send(topic, payload);

        if (form == Form.NONE) {
            assertThat(h.replies()).isEmpty();
        } else {
            assertThat(h.replies()).hasSize(1);
            assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/" + status);
            JsonNode reply = h.replyJson();
            assertThat(reply.path("status").asInt()).isEqualTo(status);
            assertThat(reply.at("/value/message").asText()).isEqualTo(message);
            switch (form) {
                case B -> {
                    assertThat(reply.path("topic").asText()).isEqualTo(Replies.UNKNOWN_TOPIC);
                    assertThat(reply.path("path").asText()).isEqualTo("/");
                    assertThat(reply.path("headers").has("correlation-id")).isFalse();
                }
                case A -> assertThat(reply.path("path").asText()).contains("/inbox/");
                case C -> assertThat(reply.path("path").asText()).contains("/outbox/");
                default -> throw new IllegalStateException();
            }
        }
        assertThat(h.engine.operations()).containsExactly("create web");
        h.cmd("start", "Container:" + C1, null);
        assertThat(h.reply().topic()).endsWith("/204");
    }

    @Test
    void numericCorrelationId_isEchoedAsText() {
        h.send(REQ, envelope("\"headers\":{\"correlation-id\":42,\"response-required\":true}",
                "/features/Container:" + C1 + "/inbox/messages/start", null));

        assertThat(h.replyJson().at("/headers/correlation-id").asText()).isEqualTo("42");
    }

    @Test
    void payloadOverTheLimit_isRefusedWithoutBeingParsed() {
        h.close();
        AgentConfig small = TwinHarness.config(io.gantry.config.ThingsConfig.DEFAULTS);
        ConnectionConfig c = small.connection();
        ConnectionConfig limited = new ConnectionConfig(c.brokerUrl(), c.clientId(), c.clientUsername(),
                c.clientPassword(), c.protocolVersion(), c.keepAlive(), c.connectTimeout(), c.acknowledgeTimeout(),
                c.subscribeTimeout(), c.unsubscribeTimeout(), ByteSize.ofBytes(64), c.transport());
        h = new TwinHarness(stateDir).started();
        h.twin.applyConfig(new AgentConfig(small.log(), limited, small.things(), small.updateAgent(), small.metrics(),
                small.engine(), small.registries(), small.deployment(), small.policy(), small.trust(), small.stateDir()));

        // Not even JSON: a parsed payload would say "error parsing".
        h.send(REQ, "{" + " ".repeat(100));

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/400");
        assertThat(h.replyJson().at("/value/message").asText()).isEqualTo("the Ditto message received for device id ["
                + T + "] is larger than the limit of 64 bytes");
        assertThat(h.replyJson().path("topic").asText()).isEqualTo(Replies.UNKNOWN_TOPIC);
    }

    @Test
    void messageTheTransportRefusedAsOversized_isAnsweredWithTheSame400() {
        h.transport.refuse(REQ, 24 << 20);

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/400");
        assertThat(h.replyJson().at("/value/message").asText()).isEqualTo("the Ditto message received for device id ["
                + T + "] is larger than the limit of 262144 bytes");
    }

    @Test
    void invalidUtf8_isAParseError() {
        h.transport.deliver(REQ, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

        assertThat(h.replyJson().at("/value/message").asText()).startsWith("error parsing Ditto message");
    }

    @Test
    void keysOfTheEnvelopeAndHeaders_matchCaseInsensitively_asGoDoes() {
        h.send(REQ, "{\"Topic\":\"" + P + "/things/live/messages/start\",\"HEADERS\":{\"Correlation-Id\":\"c1\","
                + "\"Response-Required\":true},\"Path\":\"/features/Container:" + C1 + "/inbox/messages/start\"}");

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/204");
        assertThat(new String(h.reply().payload(), StandardCharsets.UTF_8)).contains("\"correlation-id\":\"c1\"");
    }

    @Test
    void commandForAContainerThatIsGone_afterTheFeatureWasDeleted_is400() {
        h.engine.remove(ContainerId.of(C1), true);

        h.cmd("start", "Container:" + C1, null);

        assertThat(h.replyJson().at("/value/message").asText()).isEqualTo("feature [Container:" + C1 + "] not found ");
        assertThat(GoldenJson.parse(h.reply().text()).path("status").asInt()).isEqualTo(400);
    }
}

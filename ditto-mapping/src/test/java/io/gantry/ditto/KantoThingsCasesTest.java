package io.gantry.ditto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.ContainerId;
import io.gantry.core.golden.KantoCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kanto's things cases ({@code kanto-cases/kanto-cm/things-integration.json} and {@code things-unit.json}): each
 * ContainerFactory and Container operation gets Kanto's reply status and error code, and the twin's events follow in
 * Kanto's order (a new container CREATED, then RUNNING). Where Kanto's message is Go's JSON decoder text, Gantry's
 * own message names the field instead (docs/twin.md, Kanto's own test cases); the status and error code are Kanto's.
 */
class KantoThingsCasesTest {

    private static final JsonNode INTEGRATION = KantoCases.read("kanto-cm/things-integration.json");
    private static final JsonNode UNIT = KantoCases.read("kanto-cm/things-unit.json");

    @TempDir
    Path stateDir;
    private TwinHarness h;

    @BeforeEach
    void setUp() {
        h = new TwinHarness(stateDir).started();
        h.engine.withImage("docker.io/library/httpd:latest").withImage("image:latest");
        h.transport.clear();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    static Stream<Arguments> factory() {
        return cases(INTEGRATION.path("factory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("factory")
    void factory_createsAndPublishesFeatureThenCreatedThenRunning(String test, JsonNode c) {
        h.cmd(c.path("operation").asText(), "ContainerFactory", c.path("value").toString());

        assertThat(replyStatus()).isEqualTo(c.path("kanto").path("reply").asInt());
        ContainerId id = ContainerId.of(h.replyJson().path("value").asText());
        List<String> events = new ArrayList<>();
        for (JsonNode e : h.events()) {
            String path = e.path("path").asText();
            if (path.equals("/features/Container:" + id)) {
                events.add("feature created");
            } else if (path.equals("/features/Container:" + id + "/properties/status/state")) {
                events.add("state " + e.at("/value/status").asText());
            }
        }
        assertThat(events).containsExactlyElementsOf(KantoCases.texts(c.path("kanto").path("events")));
    }

    static Stream<Arguments> instance() {
        return cases(INTEGRATION.path("instance").path("cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instance")
    void instanceOperation_getsKantosReply_andFirstEvent(String test, JsonNode c) {
        h.cmd("create", "ContainerFactory", "{\"imageRef\":\"" + TwinHarness.IMAGE + "\",\"start\":"
                + c.path("ctrStart").asBoolean() + "}");
        ContainerId id = ContainerId.of(h.replyJson().path("value").asText());
        for (JsonNode step : c.path("steps")) {
            assertOperation(id, step.path("operation").asText(), step.path("value"), step.path("kanto"));
        }
    }

    static Stream<Arguments> unitContainer() {
        return cases(UNIT.path("container"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unitContainer")
    void unitContainerArguments_getKantosReply(String test, JsonNode c) {
        ContainerId id = h.container("ctr");
        if (c.path("setup_start").asBoolean()) {
            h.engine.start(id);
        }
        assertOperation(id, c.path("operation").asText(), c.path("value"), c.path("kanto"));
    }

    static Stream<Arguments> unitFactory() {
        return cases(UNIT.path("factory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unitFactory")
    void unitFactoryArguments_getKantosReply(String test, JsonNode c) {
        h.cmd(c.path("operation").asText(), "ContainerFactory", c.path("value").toString());

        assertReply(c.path("kanto"));
    }

    private void assertOperation(ContainerId id, String operation, JsonNode value, JsonNode kanto) {
        int before = h.events().size();
        h.cmd(operation, "Container:" + id, value.isNull() || value.isMissingNode() ? null : value.toString());
        assertReply(kanto);
        List<JsonNode> after = h.events().subList(before, h.events().size()).stream()
                .filter(e -> e.path("path").asText().startsWith("/features/Container:" + id)).toList();
        if (kanto.path("removal").asBoolean()) {
            assertThat(after).anyMatch(e -> e.path("topic").asText().endsWith("/things/twin/commands/delete"));
        }
        JsonNode first = kanto.path("first_event");
        if (!first.isMissingNode()) {
            String property = first.path("property").asText();
            JsonNode event = after.stream().filter(e -> e.path("path").asText().endsWith("/properties/status/"
                    + property)).findFirst().orElseThrow(() -> new AssertionError("no " + property + " event"));
            switch (property) {
                case "state" -> assertThat(event.at("/value/status").asText()).isEqualTo(first.path("status").asText());
                case "name" -> assertThat(event.path("value").asText()).isEqualTo(first.path("value").asText());
                default -> assertThat(event.path("value").path(first.path("key").asText()))
                        .isEqualTo(first.path("equals"));
            }
        }
    }

    private void assertReply(JsonNode kanto) {
        assertThat(replyStatus()).isEqualTo(kanto.path("reply").asInt());
        if (kanto.has("error")) {
            assertThat(h.replyJson().at("/value/error").asText()).isEqualTo(kanto.path("error").asText());
        }
        String message = kanto.path("message").asText("");
        if (!message.isEmpty() && !message.startsWith("json: ")) {
            // Kanto's text, after the field it concerns where Gantry names one (difference 3 of docs/twin.md)
            assertThat(h.replyJson().at("/value/message").asText()).endsWith(message);
        }
    }

    private int replyStatus() {
        String topic = h.reply().topic();
        return Integer.parseInt(topic.substring(topic.lastIndexOf('/') + 1));
    }

    private static Stream<Arguments> cases(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(c -> Arguments.of(c.path("test").asText(), c));
    }
}

package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.update.protocol.UpdateTopics;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The three shapes {@code gantry apply} reads, what it sends for each, and every problem named with its path. */
class DesiredStateFileTest {

    private static final UpdateTopics TOPICS = UpdateTopics.of("containers");
    private static final long NOW = 1_719_561_600_000L;

    private static DesiredStateFile.Prepared prepare(String json) {
        return DesiredStateFile.prepare("desired.json", json.getBytes(StandardCharsets.UTF_8), TOPICS,
                () -> "generated-id", NOW);
    }

    private static JsonNode sent(String json) throws Exception {
        return new ObjectMapper().readTree(prepare(json).envelope());
    }

    @Test
    void envelope_isSentAsWritten_withItsActivityIdAndTimestamp() throws Exception {
        String json = "{\"activityId\":\"act-1\",\"timestamp\":5,\"payload\":{\"domains\":[{\"id\":\"containers\","
                + "\"components\":[{\"id\":\"web\",\"version\":\"1\",\"config\":[{\"key\":\"image\",\"value\":"
                + "\"nginx:1.25\"}],\"extra\":true}]}]},\"note\":\"kept\"}";

        assertThat(prepare(json).activityId()).isEqualTo("act-1");
        assertThat(sent(json)).isEqualTo(new ObjectMapper().readTree(json));
    }

    @Test
    void envelope_withoutActivityIdOrTimestamp_getsThem() throws Exception {
        JsonNode sent = sent("{\"payload\":{\"domains\":[{\"id\":\"containers\"}]}}");

        assertThat(sent.path("activityId").asText()).isEqualTo("generated-id");
        assertThat(sent.path("timestamp").asLong()).isEqualTo(NOW);
        assertThat(sent("{\"ActivityId\":\"\",\"payload\":{\"domains\":[{\"id\":\"containers\"}]}}")
                .path("ActivityId").asText()).as("an empty id is replaced, under the name it was given")
                .isEqualTo("generated-id");
    }

    @Test
    void barePayload_isWrappedInAnEnvelope() throws Exception {
        JsonNode sent = sent("{\"domains\":[{\"id\":\"containers\",\"components\":[{\"id\":\"web\",\"version\":"
                + "\"1.25\"}]}]}");

        assertThat(sent.path("activityId").asText()).isEqualTo("generated-id");
        assertThat(sent.path("payload").path("domains").get(0).path("components").get(0).path("id").asText())
                .isEqualTo("web");
    }

    @Test
    void listOfContainers_inBothForms_isWrappedIntoTheConfiguredDomain() throws Exception {
        JsonNode sent = sent("[{\"id\":\"web\",\"version\":\"2\",\"config\":[{\"key\":\"image\",\"value\":\"a:2\"}]},"
                + "{\"name\":\"db\",\"version\":1,\"image\":\"b:1\",\"port\":[\"5432:5432\",\"5433:5433\"],"
                + "\"privileged\":false,\"restartMaxRetries\":3,\"restartPolicy\":\"on-failure\"}]");

        assertThat(sent.path("payload")).isEqualTo(new ObjectMapper().readTree("{\"domains\":[{\"id\":\"containers\","
                + "\"components\":[{\"id\":\"web\",\"version\":\"2\",\"config\":[{\"key\":\"image\","
                + "\"value\":\"a:2\"}]},"
                + "{\"id\":\"db\",\"version\":\"1\",\"config\":[{\"key\":\"image\",\"value\":\"b:1\"},"
                + "{\"key\":\"port\",\"value\":\"5432:5432\"},{\"key\":\"port\",\"value\":\"5433:5433\"},"
                + "{\"key\":\"privileged\",\"value\":\"false\"},{\"key\":\"restartMaxRetries\",\"value\":\"3\"},"
                + "{\"key\":\"restartPolicy\",\"value\":\"on-failure\"}]}]}]}"));
    }

    @Test
    void listOfContainers_usesTheConfiguredDomain() throws Exception {
        byte[] list = "[{\"id\":\"web\",\"image\":\"a:1\"}]".getBytes(StandardCharsets.UTF_8);

        JsonNode sent = new ObjectMapper().readTree(DesiredStateFile.prepare("f", list, UpdateTopics.of("my-ctrs"),
                () -> "x", NOW).envelope());

        assertThat(sent.path("payload").path("domains").get(0).path("id").asText()).isEqualTo("my-ctrs");
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("", "desired.json: the file is empty"),
                Arguments.of("{\"payload\": ", "desired.json: not JSON: Unexpected end-of-input"),
                Arguments.of("42", "desired.json: expected a JSON object or list, not a number"),
                Arguments.of("{\"containers\": []}", "desired.json: not a desired state: expected an envelope"),
                // the update agent's own checks, placed in the file
                Arguments.of("{\"activityId\": 7, \"payload\": {}}", "desired.json: activityId must be a string"),
                Arguments.of("{\"payload\":{\"domains\":[{\"id\":\"containers\",\"components\":[{\"id\":\"web\","
                        + "\"config\":[{\"key\":\"image\",\"value\":5}]}]}]}}", "desired.json: payload.domains[0]"
                        + ".components[0].config[0].value: expected a string"),
                Arguments.of("{\"payload\": 7}", "desired.json: payload: expected an object"),
                Arguments.of("{\"payload\":{\"domains\":[]}}", "desired.json: payload.domains: one domain expected"
                        + " in desired state specification, but got 0"),
                Arguments.of("{\"domains\":[{\"id\":\"other\"}]}", "desired.json: domains[0].id: domain id mismatch"
                        + " - expecting containers, received other"),
                Arguments.of("{\"domains\":[{\"id\":\"containers\",\"components\":[{\"id\":\"a\",\"version\":\"1\"},"
                        + "{\"id\":\"b\",\"version\":\"1\",\"config\":[{\"key\":\"restartPolicy\",\"value\":"
                        + "\"sometimes\"}]}]}]}", "desired.json: domains[0].components[1]: cannot convert desired"
                        + " state components to container configurations: invalid configuration for container b:"
                        + " unsupported restart policy type sometimes"),
                Arguments.of("{\"domains\":[{\"id\":\"containers\",\"components\":[{\"id\":\"a\",\"version\":\"1\"},"
                        + "{\"id\":\"a\",\"version\":\"2\"}]}]}", "desired.json: domains[0].components[1]: "),
                Arguments.of("{\"baselines\":[{\"title\":\"B1\",\"components\":[\"containers:x\"]}],\"domains\":"
                        + "[{\"id\":\"containers\"}]}", "desired.json: baselines: cannot process desired state"
                        + " baselines with containers: problem with baseline B1: cannot find container component"
                        + " containers:x"),
                // the list forms
                Arguments.of("[\"web\"]", "desired.json: [0]: expected a container, an object such as"),
                Arguments.of("[{\"image\":\"a:1\"}]", "desired.json: [0]: the container has no id (its name)"),
                Arguments.of("[{\"id\":\"web\",\"image\":\"a:1\",\"ports\":[\"80:80\"]}]",
                        "desired.json: [0].ports: unknown key (did you mean port?)"),
                Arguments.of("[{\"id\":\"web\",\"image\":\"a:1\",\"status\":\"Running\"}]",
                        "desired.json: [0].status: unknown key (expected id, name, version or one of image,"),
                Arguments.of("[{\"id\":\"web\",\"image\":[\"a:1\",\"b:1\"]}]",
                        "desired.json: [0].image: image takes one value, not a list"),
                Arguments.of("[{\"id\":\"web\",\"image\":\"a:1\",\"env\":[{\"A\":\"1\"}]}]",
                        "desired.json: [0].env[0]: expected a string, number or boolean, not an object"),
                Arguments.of("[{\"id\":\"web\",\"name\":\"web\"}]",
                        "desired.json: [0].name: give the container's name once, as id or name"),
                Arguments.of("[{\"id\":\"ok\",\"image\":\"a:1\"},{\"id\":\"web\",\"image\":\"a:1\",\"memory\":\"2m\"}]",
                        "desired.json: [1]: cannot convert desired state components to container configurations:"
                                + " invalid configuration for container web: "),
                Arguments.of("[{\"id\":\"web\",\"config\":[{\"key\":\"image\",\"value\":true}]}]",
                        "desired.json: [0].config[0].value: expected a string"));
    }

    @ParameterizedTest
    @MethodSource("problems")
    void prepare_badFile_namesTheFileAndThePath(String json, String message) {
        assertThatThrownBy(() -> prepare(json)).isInstanceOf(DesiredStateException.class)
                .hasMessageStartingWith(message);
    }
}

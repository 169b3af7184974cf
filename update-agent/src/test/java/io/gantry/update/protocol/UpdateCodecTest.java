package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading and writing update-protocol messages as Go's encoding/json does for Kanto (§1.2). */
class UpdateCodecTest {

    private static UpdateCodec.Inbound read(String json) {
        return UpdateCodec.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void desiredState_kantoExample_isRead() {
        String json = "{\"activityId\":\"act-1\",\"timestamp\":1719561600000,\"payload\":{"
                + "\"baselines\":[{\"title\":\"db-stack\",\"components\":[\"containers:influxdb\"]}],"
                + "\"domains\":[{\"id\":\"containers\","
                + "\"config\":[{\"key\":\"systemContainers\",\"value\":\"sua, cloudconnector\"}],"
                + "\"components\":[{\"id\":\"influxdb\",\"version\":\"1.8.4\",\"config\":["
                + "{\"key\":\"image\",\"value\":\"docker.io/library/influxdb:1.8.4\"},"
                + "{\"key\":\"port\",\"value\":\"8086:8086/tcp\"},"
                + "{\"key\":\"env\",\"value\":\"INFLUXDB_DB=db0\"},"
                + "{\"key\":\"mount\",\"value\":\"/data/influxdb:/var/lib/influxdb\"},"
                + "{\"key\":\"restartPolicy\",\"value\":\"on-failure\"},"
                + "{\"key\":\"restartMaxRetries\",\"value\":\"3\"},"
                + "{\"key\":\"restartTimeout\",\"value\":\"30\"},"
                + "{\"key\":\"memory\",\"value\":\"200M\"}]}]}]}}";
        UpdateCodec.Inbound in = read(json);
        WireDesiredState state = UpdateCodec.desiredState(in);

        assertThat(in.activityId()).isEqualTo("act-1");
        assertThat(state.baselines()).containsExactly(new WireBaseline("db-stack", "",
                List.of("containers:influxdb")));
        assertThat(state.domains().get(0).config()).containsExactly(new WireKeyValue("systemContainers",
                "sua, cloudconnector"));
        assertThat(state.domains().get(0).components().get(0).config()).hasSize(8)
                .contains(new WireKeyValue("memory", "200M"));
    }

    @Test
    void read_fieldNamesMatchCaseInsensitively_andUnknownFieldsAreIgnored_s7_34() {
        UpdateCodec.Inbound in = read("{\"ActivityID\":\"a\",\"extra\":[1],\"PAYLOAD\":{\"Command\":\"DOWNLOAD\","
                + "\"baseline\":\"B1\",\"more\":{}}}");
        assertThat(in.activityId()).isEqualTo("a");
        assertThat(UpdateCodec.command(in)).isEqualTo(new WireCommand("DOWNLOAD", "B1"));
    }

    @Test
    void read_missingFields_areZeroValues() {
        UpdateCodec.Inbound in = read("{}");
        assertThat(in.activityId()).isEmpty();
        assertThat(UpdateCodec.desiredState(in)).isEqualTo(WireDesiredState.EMPTY);
        assertThat(UpdateCodec.command(in)).isEqualTo(new WireCommand("", ""));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not json", Optional.empty(), "the message is not JSON"),
                Arguments.of("[1,2]", Optional.empty(), "the message is not a JSON object"),
                Arguments.of("\"x\"", Optional.empty(), "the message is not a JSON object"),
                Arguments.of("", Optional.empty(), "the message is not a JSON object"),
                Arguments.of("{\"activityId\":5}", Optional.empty(), "activityId must be a string"),
                Arguments.of("{\"activityId\":\"a\"} trailing", Optional.empty(), "the message is not JSON"),
                Arguments.of("{\"activityId\":\"a\",\"timestamp\":\"x\"}", Optional.of("a"),
                        "timestamp must be a whole number of milliseconds"),
                Arguments.of("{\"activityId\":\"a\",\"timestamp\":1.5}", Optional.of("a"),
                        "timestamp must be a whole number of milliseconds"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void read_malformedEnvelope_isRejected_withTheActivityIdWhenReadable(String json, Optional<String> activityId,
                                                                         String reason) {
        assertThatThrownBy(() -> read(json)).isInstanceOfSatisfying(MalformedMessageException.class, e -> {
            assertThat(e.activityId()).isEqualTo(activityId);
            assertThat(e.getMessage()).startsWith(reason);
        });
    }

    static Stream<Arguments> wrongPayload() {
        return Stream.of(
                Arguments.of("{\"domains\":{}}", "payload.domains: expected an array"),
                Arguments.of("{\"domains\":[{\"id\":5}]}", "payload.domains[0].id: expected a string"),
                Arguments.of("{\"domains\":[{\"id\":\"c\",\"components\":[{\"config\":[{\"key\":\"k\",\"value\":true}]}]}]}",
                        "payload.domains[0].components[0].config[0].value: expected a string"),
                Arguments.of("{\"domains\":[\"containers\"]}", "payload.domains[0]: expected an object"),
                Arguments.of("[]", "payload: expected an object"),
                Arguments.of("7", "payload: expected an object"),
                Arguments.of("\"x\"", "payload: expected an object"),
                Arguments.of("{\"domains\":[5]}", "payload.domains[0]: expected an object"),
                Arguments.of("{\"domains\":[true]}", "payload.domains[0]: expected an object"),
                Arguments.of("{\"domains\":[{\"components\":[{\"config\":[3.5]}]}]}",
                        "payload.domains[0].components[0].config[0]: expected an object"),
                Arguments.of("{\"baselines\":[{\"components\":[\"a\",null]}]}",
                        "payload.baselines[0]: an array element is null"));
    }

    @ParameterizedTest
    @MethodSource("wrongPayload")
    void desiredState_wrongType_namesWhereTheProblemIs(String payload, String reason) {
        UpdateCodec.Inbound in = read("{\"activityId\":\"a\",\"payload\":" + payload + "}");
        assertThatThrownBy(() -> UpdateCodec.desiredState(in)).isInstanceOfSatisfying(MalformedMessageException.class,
                e -> {
                    assertThat(e.activityId()).contains("a");
                    assertThat(e.getMessage()).isEqualTo(reason);
                });
    }

    @Test
    void encode_omitsEmptyFields_likeGo() {
        String json = new String(UpdateCodec.encode("act", 12, new WireFeedback("", "IDENTIFYING", "", List.of())),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"activityId\":\"act\",\"timestamp\":12,\"payload\":{\"status\":\"IDENTIFYING\"}}");
    }
}

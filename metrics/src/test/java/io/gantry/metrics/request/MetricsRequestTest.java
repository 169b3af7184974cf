package io.gantry.metrics.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.gantry.metrics.snapshot.MeasurementId;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricsRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String C1 = "Container:c1";
    private static final String C2 = "Container:c2";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("{\"frequency\":\"2s\"}", Duration.ofSeconds(2)),
                Arguments.of("{\"frequency\":\"1m30s\"}", Duration.ofSeconds(90)),
                Arguments.of("{\"frequency\":2}", Duration.ofSeconds(2)),
                Arguments.of("{\"frequency\":2.9}", Duration.ofSeconds(2)),
                Arguments.of("{\"frequency\":\"100ms\"}", Duration.ofMillis(100)),
                Arguments.of("{\"Frequency\":\"3s\"}", Duration.ofSeconds(3)),
                Arguments.of("{\"FREQUENCY\":\"3s\",\"unknown\":1}", Duration.ofSeconds(3)),
                Arguments.of("{\"frequency\":\"1s\",\"Frequency\":\"4s\"}", Duration.ofSeconds(4)),
                Arguments.of("{\"frequency\":1e30}", Duration.ofNanos(Long.MAX_VALUE)),
                // stops
                Arguments.of("{\"frequency\":\"0s\"}", Duration.ZERO),
                Arguments.of("{\"frequency\":\"0\"}", Duration.ZERO),
                Arguments.of("{\"frequency\":\"-1s\"}", Duration.ZERO),
                Arguments.of("{\"frequency\":0}", Duration.ZERO),
                Arguments.of("{\"frequency\":0.5}", Duration.ZERO),
                Arguments.of("{\"frequency\":-3}", Duration.ZERO),
                Arguments.of("{}", Duration.ZERO),
                Arguments.of("{\"filter\":[]}", Duration.ZERO),
                Arguments.of("null", Duration.ZERO));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("accepted")
    void parse_validValue_readsFrequency(String value, Duration frequency) throws Exception {
        MetricsRequest request = MetricsRequest.parse(json(value));

        assertThat(request.frequency()).isEqualTo(frequency);
        assertThat(request.isStop()).isEqualTo(frequency.isZero());
    }

    @Test
    void parse_absentValue_stops() throws Exception {
        assertThat(MetricsRequest.parse(null)).isEqualTo(MetricsRequest.STOP);
        assertThat(MetricsRequest.parse(MissingNode.getInstance())).isEqualTo(MetricsRequest.STOP);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // reference/kanto-things.md §5 statement 49
                Arguments.of("{\"frequency\":\"invalid frequency\"}", "time: invalid duration \"invalid frequency\""),
                Arguments.of("{\"frequency\":null}", "invalid duration: <nil>"),
                Arguments.of("{\"frequency\":true}", "invalid duration: true"),
                Arguments.of("{\"frequency\":false}", "invalid duration: false"),
                Arguments.of("{\"frequency\":{}}", "invalid duration: map[]"),
                Arguments.of("{\"frequency\":{\"b\":1,\"a\":\"x\"}}", "invalid duration: map[a:x b:1]"),
                Arguments.of("{\"frequency\":[1,\"a\",null,1000000]}", "invalid duration: [1 a <nil> 1e+06]"),
                Arguments.of("{\"frequency\":\"5\"}", "time: missing unit in duration \"5\""),
                Arguments.of("{\"frequency\":\"2x\"}", "time: unknown unit \"x\" in duration \"2x\""),
                Arguments.of("{\"frequency\":\"\"}", "time: invalid duration \"\""),
                Arguments.of("\"2s\"", "json: cannot unmarshal string into Go value of type things.Request"),
                Arguments.of("2", "json: cannot unmarshal number into Go value of type things.Request"),
                Arguments.of("true", "json: cannot unmarshal bool into Go value of type things.Request"),
                Arguments.of("[]", "json: cannot unmarshal array into Go value of type things.Request"),
                Arguments.of("{\"frequency\":\"2s\",\"filter\":\"cpu\"}",
                        "json: cannot unmarshal string into Go struct field Request.filter of type []things.Filter"),
                Arguments.of("{\"frequency\":\"2s\",\"filter\":{}}",
                        "json: cannot unmarshal object into Go struct field Request.filter of type []things.Filter"),
                Arguments.of("{\"frequency\":\"2s\",\"filter\":[5]}",
                        "json: cannot unmarshal number into Go struct field Request.filter of type things.Filter"),
                Arguments.of("{\"frequency\":\"2s\",\"filter\":[{\"id\":\"cpu.*\"}]}",
                        "json: cannot unmarshal string into Go struct field Request.filter.id of type []string"),
                Arguments.of("{\"frequency\":\"2s\",\"filter\":[{\"id\":[7]}]}",
                        "json: cannot unmarshal number into Go struct field Request.filter.id of type string"),
                Arguments.of("{\"frequency\":\"2s\",\"filter\":[{\"originator\":[\"x\"]}]}",
                        "json: cannot unmarshal array into Go struct field Request.filter.originator of type string"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("rejected")
    void parse_invalidValue_failsWithKantosMessage(String value, String message) {
        assertThatThrownBy(() -> MetricsRequest.parse(json(value))).isInstanceOf(InvalidRequestException.class)
                .hasMessage(message);
    }

    @Test
    void parse_filters_readsOriginatorsAndIdsLeniently() throws Exception {
        MetricsRequest request = MetricsRequest.parse(json("{\"frequency\":\"2s\",\"filter\":["
                + "{\"id\":[\"cpu.*\",\"memory.used\"],\"originator\":\"Container:c1\"},"
                + "null,"
                + "{\"ID\":[null],\"Originator\":null},"
                + "{\"originator\":\"Container:c2\",\"extra\":true}]}"));

        assertThat(request.filters()).containsExactly(
                MetricFilter.of("Container:c1", "cpu.*", "memory.used"),
                MetricFilter.of(""),
                MetricFilter.of("", ""),
                MetricFilter.of("Container:c2"));
    }

    @Test
    void atLeast_clampsShortFrequenciesOnly() {
        Duration second = Duration.ofSeconds(1);

        assertThat(MetricsRequest.of(Duration.ofMillis(100)).atLeast(second).frequency()).isEqualTo(second);
        assertThat(MetricsRequest.of(Duration.ofSeconds(2)).atLeast(second).frequency())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(MetricsRequest.STOP.atLeast(second).isStop()).isTrue();
    }

    @Test
    void constructor_negativeFrequency_isAStop() {
        assertThat(MetricsRequest.of(Duration.ofSeconds(-5)).isStop()).isTrue();
    }

    // ---- filter semantics, reference/kanto-things.md §3.4 ----------------------------------------------------

    static Stream<Arguments> originatorFilters() {
        return Stream.of(
                Arguments.of(List.of(), C1, true),
                Arguments.of(List.of(MetricFilter.of(C1)), C1, true),
                Arguments.of(List.of(MetricFilter.of(C1)), C2, false),
                Arguments.of(List.of(MetricFilter.of("", "cpu.*")), C2, true),
                Arguments.of(List.of(MetricFilter.of("test.process")), C1, false),
                Arguments.of(List.of(MetricFilter.of("SYSTEM")), C1, false),
                Arguments.of(List.of(MetricFilter.of(C2), MetricFilter.of(C1, "pids")), C1, true));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("originatorFilters")
    void hasFilterFor_followsKanto(List<MetricFilter> filters, String originator, boolean expected) {
        assertThat(new MetricsRequest(Duration.ofSeconds(1), filters).hasFilterFor(originator)).isEqualTo(expected);
    }

    static Stream<Arguments> itemFilters() {
        return Stream.of(
                Arguments.of(List.of(), C1, "cpu.utilization,memory.total,memory.used,memory.utilization,"
                        + "io.readBytes,io.writeBytes,net.readBytes,net.writeBytes,pids"),
                Arguments.of(List.of(MetricFilter.of(C1, "cpu.*")), C1, "cpu.utilization"),
                Arguments.of(List.of(MetricFilter.of(C1, "cpu.*")), C2, ""),
                Arguments.of(List.of(MetricFilter.of(C1, "test.io")), C1, ""),
                Arguments.of(List.of(MetricFilter.of(C1, "memory")), C1,
                        "memory.total,memory.used,memory.utilization"),
                Arguments.of(List.of(MetricFilter.of(C1, "memory.used", "pids")), C1, "memory.used,pids"),
                Arguments.of(List.of(MetricFilter.of(C1, "io.*", "net.*")), C1,
                        "io.readBytes,io.writeBytes,net.readBytes,net.writeBytes"),
                Arguments.of(List.of(MetricFilter.of(C1, "*.used")), C1, ""),
                Arguments.of(List.of(MetricFilter.of(C1, "**memory.u*")), C1, "memory.used,memory.utilization"),
                Arguments.of(List.of(MetricFilter.of(C1, "")), C1, "cpu.utilization,memory.total,memory.used,"
                        + "memory.utilization,io.readBytes,io.writeBytes,net.readBytes,net.writeBytes,pids"),
                Arguments.of(List.of(MetricFilter.of(C1, "*")), C1, "cpu.utilization,memory.total,memory.used,"
                        + "memory.utilization,io.readBytes,io.writeBytes,net.readBytes,net.writeBytes,pids"),
                Arguments.of(List.of(MetricFilter.of("", "pids")), C2, "pids"),
                Arguments.of(List.of(MetricFilter.of(C1)), C1, "cpu.utilization,memory.total,memory.used,"
                        + "memory.utilization,io.readBytes,io.writeBytes,net.readBytes,net.writeBytes,pids"),
                Arguments.of(List.of(MetricFilter.of(C2, "cpu.*"), MetricFilter.of(C1, "pids")), C1, "pids"));
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("itemFilters")
    void hasFilterForItem_selectsExactlyWhatTheFiltersName(List<MetricFilter> filters, String originator,
                                                           String expectedIds) {
        MetricsRequest request = new MetricsRequest(Duration.ofSeconds(1), filters);

        List<String> selected = Arrays.stream(MeasurementId.values())
                .filter(id -> request.hasFilterForItem(id, originator))
                .map(MeasurementId::wireId)
                .toList();

        assertThat(String.join(",", selected)).isEqualTo(expectedIds);
    }
}

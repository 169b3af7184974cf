package io.gantry.ditto;

import static io.gantry.ditto.TwinHarness.E;
import static io.gantry.ditto.TwinHarness.P;
import static io.gantry.ditto.TwinHarness.T;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.golden.GoldenJson;
import io.gantry.ditto.metrics.MetricsData;
import io.gantry.ditto.metrics.MetricsOperations;
import io.gantry.metrics.request.MetricFilter;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.snapshot.ContainerMeasurements;
import io.gantry.metrics.snapshot.Measurement;
import io.gantry.metrics.snapshot.MeasurementId;
import io.gantry.metrics.snapshot.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code Metrics} feature on the twin (reference/kanto-things.md §3.4, statements 45–52 of §5 as far as the twin
 * goes): requests reach the reporter, replies and errors are Kanto's, and snapshots go out as {@code data} live
 * messages. The real reporter and real containers are in agent-app's MetricsAgentIT.
 */
class MetricsFeatureTest {

    private static final String ORIGINATOR = "Container:4f7d1b2e-8a9c-4e3f-9b1a-2c3d4e5f6a7b";

    @TempDir
    Path stateDir;
    private TwinHarness h;
    private final List<MetricsRequest> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        h = new TwinHarness(stateDir);
        h.twin.plug("Metrics", new MetricsOperations(requests::add));
        h.started();
        h.transport.clear();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private void assertError(int status, String code, String message) {
        JsonNode reply = h.replyJson();
        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/" + status);
        assertThat(reply.path("path").asText()).isEqualTo("/features/Metrics/outbox/messages/"
                + reply.path("topic").asText().substring(reply.path("topic").asText().lastIndexOf('/') + 1));
        assertThat(reply.path("value").path("error").asText()).isEqualTo(code);
        assertThat(reply.path("value").path("status").asInt()).isEqualTo(status);
        assertThat(reply.path("value").path("message").asText()).isEqualTo(message);
    }

    @Test
    void statement45_request_replies204_andHandsTheRequestToTheReporter() {
        h.sendGolden("metrics-request.json");

        assertThat(h.reply().topic()).isEqualTo("command//" + T + "/res/r1/204");
        GoldenJson.assertMatches("golden/response-204-metrics-request.json", h.replyJson());
        assertThat(requests).containsExactly(MetricsRequest.of(Duration.ofSeconds(2)));
    }

    @Test
    void request_withFilters_isReadAsKanto() {
        h.cmd("request", "Metrics", "{\"frequency\":3,\"Filter\":[{\"id\":[\"cpu.*\"],\"originator\":\""
                + ORIGINATOR + "\"}],\"unknown\":1}");

        assertThat(h.reply().topic()).endsWith("/204");
        assertThat(requests).containsExactly(MetricsRequest.of(Duration.ofSeconds(3),
                MetricFilter.of(ORIGINATOR, "cpu.*")));
    }

    @Test
    void statement48_zeroOrAbsentFrequencyOrNoValue_replies204_andStops() {
        h.cmd("request", "Metrics", "{\"frequency\":\"0s\"}");
        assertThat(h.reply().topic()).endsWith("/204");
        h.cmd("request", "Metrics", "{}");
        assertThat(h.reply().topic()).endsWith("/204");
        h.cmd("request", "Metrics", null);
        assertThat(h.reply().topic()).endsWith("/204");

        assertThat(requests).hasSize(3).allSatisfy(r -> assertThat(r.isStop()).isTrue());
    }

    @Test
    void statement49_invalidFrequency_replies400WithKantosText() {
        h.cmd("request", "Metrics", "{\"frequency\":\"invalid frequency\"}");

        GoldenJson.assertMatches("golden/error-c-400-metrics-invalid-frequency.json", h.replyJson());
        assertThat(requests).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"frequency":null}              | invalid duration: <nil>
            {"frequency":true}              | invalid duration: true
            {"frequency":"5"}               | time: missing unit in duration "5"
            "2s"                            | json: cannot unmarshal string into Go value of type things.Request
            {"filter":[{"id":"cpu.*"}]}     | json: cannot unmarshal string into Go struct field Request.filter.id of type []string
            """)
    void invalidRequests_reply400WithKantosText_andChangeNothing(String value, String message) {
        h.cmd("request", "Metrics", value);

        assertError(400, "messages:parameter.invalid", message);
        assertThat(requests).isEmpty();
    }

    @Test
    void statement52_otherOperation_replies404() {
        h.cmd("invalidRequest", "Metrics", "{\"frequency\":\"2s\"}");

        assertError(404, "messages:subject.notfound", "unsupported operation invalidRequest");
        assertThat(requests).isEmpty();
    }

    @Test
    void data_isALiveMessageOnE_withKantosEnvelopeAndGoNumbers() {
        new MetricsData(h.twin.liveMessages()).publish(new Snapshot(List.of(new ContainerMeasurements(ORIGINATOR,
                List.of(new Measurement(MeasurementId.CPU_UTILIZATION, 8.751566666666667),
                        new Measurement(MeasurementId.MEMORY_TOTAL, 10371616768.0),
                        new Measurement(MeasurementId.PIDS, 14)))), 1719560121L));

        assertThat(h.transport.publishedOn(E)).hasSize(1);
        GoldenJson.assertMatches("golden/live-message-metrics-data-kanto.json", h.events().get(0));
        String text = new String(h.transport.publishedOn(E).get(0).payload(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"topic\":\"" + P + "/things/live/messages/data\",\"headers\":"
                        + "{\"content-type\":\"application/json\",\"response-required\":false},"
                        + "\"path\":\"/features/Metrics/outbox/messages/data\",\"value\":")
                .contains("{\"id\":\"memory.total\",\"value\":10371616768}")
                .contains("{\"id\":\"cpu.utilization\",\"value\":8.751566666666667}")
                .endsWith("\"timestamp\":1719560121}}");
    }

    @Test
    void data_whileTheTwinIsNotRegistered_isDropped_andFlowsAgainAfterTheReRegistration() {
        MetricsData data = new MetricsData(h.twin.liveMessages());
        Snapshot snapshot = new Snapshot(List.of(new ContainerMeasurements(ORIGINATOR,
                List.of(new Measurement(MeasurementId.PIDS, 1)))), 1719560121L);
        h.transport.disconnect("broker restarted");
        h.transport.reconnect();

        data.publish(snapshot);
        assertThat(h.transport.publishedOn(E)).isEmpty();

        h.connectorAnswers();
        h.transport.clear();
        data.publish(snapshot);
        assertThat(h.events()).singleElement()
                .satisfies(e -> assertThat(e.path("path").asText()).isEqualTo("/features/Metrics/outbox/messages/data"));
    }

    @Test
    void onRepublished_countsEveryWholePublishAfterTheFirst() {
        AtomicInteger republished = new AtomicInteger();
        h.twin.onRepublished(republished::incrementAndGet);

        h.transport.disconnect("broker restarted");
        h.transport.reconnect();
        assertThat(republished).hasValue(0); // not yet: the connector has not answered
        h.connectorAnswers();

        assertThat(republished).hasValue(1);
        h.twin.resync();
        assertThat(republished).hasValue(2);
    }
}

package io.gantry.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.metrics.agent.AgentMetrics;
import io.gantry.metrics.report.MetricsReporter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusEndpointTest {

    private static final String IMAGE = "gantry-test/busybox:1";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeContainerEngine fake;
    private MetricsReporter reporter;
    private AgentMetrics agent;
    private PrometheusEndpoint endpoint;
    private ContainerId web;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeContainerEngine().withImage(IMAGE);
        web = fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("web")).build(),
                Map.of());
        fake.start(web);
        reporter = MetricsReporter.startEngineOnly(fake, s -> { }, Duration.ofMillis(1), Clock.systemUTC());
        agent = new AgentMetrics(Clock.systemUTC());
        endpoint = PrometheusEndpoint.start("127.0.0.1:0", reporter, agent);
    }

    @AfterEach
    void tearDown() {
        endpoint.close();
        reporter.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        InetSocketAddress a = endpoint.address();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void get_metrics_servesValidTextWithContainersAndGantry() throws Exception {
        agent.messagesPublished().add(3);

        await().atMost(10, TimeUnit.SECONDS).until(() -> send("GET", "/metrics").body()
                .contains("gantry_container_pids{id=\"" + web.value() + "\""));
        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(TextFormat.CONTENT_TYPE);
        assertThat(ExpositionGrammar.violations(response.body())).isEmpty();
        Map<String, Exposition.Parsed> parsed = Exposition.parse(response.body());
        assertThat(parsed).containsKeys("gantry_uptime_seconds", "gantry_mqtt_messages_published_total",
                "gantry_container_cpu_seconds_total", "gantry_container_memory_used_bytes");
        assertThat(parsed.get("gantry_mqtt_messages_published_total").samples()).containsEntry(Map.of(), 3.0);
        assertThat(parsed.get("gantry_container_memory_used_bytes").samples())
                .containsKey(Map.of("id", web.value(), "name", "web", "image", IMAGE));
    }

    @Test
    void get_metrics_openMetricsAccepted_servesOpenMetricsWithTheSameNamesAndLabels() throws Exception {
        await().atMost(10, TimeUnit.SECONDS).until(() -> send("GET", "/metrics").body()
                .contains("gantry_container_pids{id=\"" + web.value() + "\""));
        InetSocketAddress a = endpoint.address();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + a.getPort() + "/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(response.body()).endsWith("# EOF\n")
                .contains("# TYPE gantry_container_cpu_seconds counter\n")
                .contains("gantry_container_cpu_seconds_total{id=\"" + web.value() + "\",image=\"" + IMAGE
                        + "\",name=\"web\"}")
                .contains("# TYPE gantry_uptime_seconds gauge\n");
    }

    @Test
    void head_metrics_hasNoBody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    static Stream<Arguments> otherRequests() {
        return Stream.of(
                Arguments.of("POST", "/metrics", 405),
                Arguments.of("DELETE", "/metrics", 405),
                Arguments.of("GET", "/metrics/x", 404),
                Arguments.of("GET", "/other", 404),
                Arguments.of("GET", "/", 200));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("otherRequests")
    void otherRequests_getPlainAnswers(String method, String path, int status) throws Exception {
        assertThat(send(method, path).statusCode()).isEqualTo(status);
    }

    @Test
    void close_stopsServingAndReadingFigures() throws Exception {
        endpoint.close();

        assertThatThrownBy(() -> send("GET", "/metrics")).isInstanceOf(ConnectException.class);
        assertThat(reporter.figures().get(5, TimeUnit.SECONDS).samples()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9464", "[::1]:9464", "localhost:0", "0.0.0.0:1"})
    void address_readsHostAndPort(String listen) {
        assertThat(PrometheusEndpoint.address(listen).getPort()).isEqualTo(
                Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9464", "host:", ":9464", "host:99999", "::1:9464"})
    void address_rejectsOtherForms(String listen) {
        assertThatThrownBy(() -> PrometheusEndpoint.address(listen)).isInstanceOf(IllegalArgumentException.class);
    }
}

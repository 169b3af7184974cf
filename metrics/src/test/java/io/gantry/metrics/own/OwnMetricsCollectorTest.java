package io.gantry.metrics.own;

import static io.gantry.metrics.own.OwnMetricsTargetTest.container;
import static io.gantry.metrics.own.OwnMetricsTargetTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gantry.core.container.Container;
import io.gantry.core.container.Mount;
import io.gantry.core.container.PortMapping;
import io.gantry.metrics.prometheus.MetricFamily;
import io.gantry.metrics.prometheus.TextFormat;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One collection over files and a real HTTP server: valid expositions are served with the container's name and id,
 * malformed, oversized and slow ones are cut off and reported, and none of them holds up the others.
 */
class OwnMetricsCollectorTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Container> containers = new ArrayList<>();
    private OwnMetricsCollector collector;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/metrics", exchange -> {
            byte[] body = "# TYPE web_up gauge\nweb_up{shard=\"a\"} 1\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("slow_up 1\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                release.await(30, TimeUnit.SECONDS); // holds the rest of the answer until the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        collector = new OwnMetricsCollector(() -> containers,
                () -> new OwnMetricsCollector.Settings(Duration.ofMinutes(1), 1024, Duration.ofMillis(500)), dir);
    }

    @AfterEach
    void stop() {
        release.countDown();
        collector.close();
        server.stop(0);
    }

    private Container fileContainer(String name, String content) throws Exception {
        Path hostDir = Files.createDirectories(dir.resolve(name));
        Files.writeString(hostDir.resolve("m.prom"), content);
        Container c = container(name, spec(Map.of(OwnMetricsTarget.FILE_LABEL, "/host/m.prom"))
                .mounts(List.of(Mount.bind(hostDir.toString(), "/host"))));
        containers.add(c);
        return c;
    }

    private Container httpContainer(String name, String path) {
        Container c = container(name, spec(Map.of(OwnMetricsTarget.PORT_LABEL, "8080", OwnMetricsTarget.PATH_LABEL,
                path)).ports(List.of(PortMapping.of(server.getAddress().getPort(), 8080))));
        containers.add(c);
        return c;
    }

    @Test
    void oneCollection_servesTheValidOnes_andReportsTheOthers() throws Exception {
        Container file = fileContainer("file", "# HELP app_jobs_total Jobs done.\n# TYPE app_jobs_total counter\n"
                + "app_jobs_total 7\n");
        Container malformed = fileContainer("malformed", "app_jobs_total seven\n");
        Container cut = fileContainer("cut", "app_jobs_total 7\napp_other 1");
        Container large = fileContainer("large", "app_big 1\n".repeat(200));
        Container reserved = fileContainer("reserved", "gantry_container_pids 1\n");
        Container web = httpContainer("web", "/metrics");
        Container slow = httpContainer("slow", "/slow");

        collector.collect();

        String text = TextFormat.write(collector.families());
        assertThat(text).contains("app_jobs_total{container_id=\"" + file.id().value()
                + "\",container_name=\"file\"} 7.0");
        assertThat(text).contains("web_up{container_id=\"" + web.id().value() + "\",container_name=\"web\",shard=\"a\"}");
        assertThat(text).doesNotContain("seven").doesNotContain("app_other").doesNotContain("app_big")
                .doesNotContain("slow_up").doesNotContain("gantry_container_pids{");
        for (Container ok : List.of(file, web)) {
            assertThat(text).contains(up(ok) + " 1.0");
        }
        for (Container bad : List.of(malformed, cut, large, reserved, slow)) {
            assertThat(text).contains(up(bad) + " 0.0");
        }
    }

    @Test
    void aSymbolicLinkOutOfTheMountedDirectory_isNotFollowed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.prom"), "host_secret 42\n");
        Path hostDir = Files.createDirectories(dir.resolve("linker"));
        Files.createSymbolicLink(hostDir.resolve("m.prom"), secret);
        Container linker = container("linker", spec(Map.of(OwnMetricsTarget.FILE_LABEL, "/host/m.prom"))
                .mounts(List.of(Mount.bind(hostDir.toString(), "/host"))));
        containers.add(linker);

        collector.collect();

        String text = TextFormat.write(collector.families());
        assertThat(text).doesNotContain("host_secret").contains(up(linker) + " 0.0");
    }

    @Test
    void aContainerThatIsGone_isForgotten() throws Exception {
        Container file = fileContainer("file", "app_x 1\n");
        collector.collect();
        containers.clear();

        collector.collect();

        assertThat(TextFormat.write(collector.families())).doesNotContain(file.id().value());
    }

    @Test
    void familiesOfSeveralContainers_areMergedByName() throws Exception {
        fileContainer("one", "# TYPE app_x gauge\napp_x 1\n");
        fileContainer("two", "# TYPE app_x gauge\napp_x 2\n");

        collector.collect();

        List<MetricFamily> families = collector.families();
        assertThat(families).filteredOn(f -> f.name().equals("app_x")).singleElement()
                .satisfies(f -> assertThat(f.points()).hasSize(2));
    }

    @Test
    void histogramsAndSummaries_areServedThroughTheClient_withTheContainersLabels() throws Exception {
        Container app = fileContainer("app", """
                # HELP app_latency_seconds Request latency.
                # TYPE app_latency_seconds histogram
                app_latency_seconds_bucket{path="/",le="0.1"} 3
                app_latency_seconds_bucket{path="/",le="0.5"} 5
                app_latency_seconds_bucket{path="/",le="+Inf"} 6
                app_latency_seconds_sum{path="/"} 1.75
                app_latency_seconds_count{path="/"} 6
                # TYPE app_size_bytes summary
                app_size_bytes{quantile="0.5"} 120
                app_size_bytes{quantile="0.99"} 800
                app_size_bytes_sum 4000
                app_size_bytes_count 20
                """);

        collector.collect();

        String text = TextFormat.write(collector.families());
        String labels = "container_id=\"" + app.id().value() + "\",container_name=\"app\"";
        assertThat(text).contains("# TYPE app_latency_seconds histogram")
                .contains("app_latency_seconds_bucket{" + labels + ",path=\"/\",le=\"0.1\"} 3")
                .contains("app_latency_seconds_bucket{" + labels + ",path=\"/\",le=\"0.5\"} 5")
                .contains("app_latency_seconds_bucket{" + labels + ",path=\"/\",le=\"+Inf\"} 6")
                .contains("app_latency_seconds_count{" + labels + ",path=\"/\"} 6")
                .contains("app_latency_seconds_sum{" + labels + ",path=\"/\"} 1.75")
                .contains("# TYPE app_size_bytes summary")
                .contains("app_size_bytes{" + labels + ",quantile=\"0.99\"} 800.0")
                .contains("app_size_bytes_count{" + labels + "} 20")
                .contains("app_size_bytes_sum{" + labels + "} 4000.0")
                .contains(up(app) + " 1.0");
    }

    @Test
    void aMalformedHistogramOrSummary_isReported_andNothingOfItsContainerIsServed() throws Exception {
        String head = "app_ok 1\n# TYPE h histogram\n";
        List<Container> bad = List.of(
                fileContainer("noinf", head + "h_bucket{le=\"1\"} 2\nh_count 2\n"),
                fileContainer("falling", head + "h_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 3\nh_bucket{le=\"+Inf\"} 5\n"),
                fileContainer("countdiffers", head + "h_bucket{le=\"+Inf\"} 5\nh_count 4\n"),
                fileContainer("nole", head + "h_bucket 5\n"),
                fileContainer("badle", head + "h_bucket{le=\"one\"} 5\nh_bucket{le=\"+Inf\"} 5\n"),
                fileContainer("fraction", head + "h_bucket{le=\"+Inf\"} 2.5\n"),
                fileContainer("stray", head + "h_bucket{le=\"+Inf\"} 1\nh 3\n"),
                fileContainer("quantile", "app_ok 1\n# TYPE s summary\ns{quantile=\"1.5\"} 3\ns_count 1\n"),
                fileContainer("nocount", "app_ok 1\n# TYPE s summary\ns{quantile=\"0.5\"} 3\n"));

        collector.collect();

        String text = TextFormat.write(collector.families());
        assertThat(text).doesNotContain("app_ok").doesNotContain("h_bucket").doesNotContain("s{");
        for (Container c : bad) {
            assertThat(text).as(c.name().value()).contains(up(c) + " 0.0");
        }
    }

    private static String up(Container c) {
        return "gantry_container_own_metrics_up{container_id=\"" + c.id().value() + "\",container_name=\""
                + c.name().value() + "\"}";
    }
}

package io.gantry.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.cli.CliRun;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.metrics.prometheus.ExpositionGrammar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers' own metrics end to end, on the real engine: a busybox container that writes its metrics file
 * atomically into a bind-mounted host directory, one that serves its metrics with busybox httpd on a published port,
 * one whose file is malformed, and one that {@code gantry create} makes with the labels that ask Gantry for a metrics
 * directory and the time status (it writes a counter and a histogram there); a real agent serves the first two and
 * the last on its Prometheus endpoint with the container's name and id, reports the third, and removes the provided
 * metrics directory when its container is removed.
 */
class OwnMetricsIT {

    private static final String RUN = "own-metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static Mosquitto broker;
    private static AgentUnderTest agent;
    private static URI scrapeUri;
    private static String writer;
    private static String server;
    private static String malformed;
    private static String provided;

    @BeforeAll
    static void containersAndAgent() throws Exception {
        TestImages.ensureBusybox(null);
        String user = Processes.run("id", "-u").strip() + ":" + Processes.run("id", "-g").strip();
        Path files = Files.createDirectories(dir.resolve("files"));
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("app.prom"), "app_loops_total many\n");
        writer = run("writer", List.of("--user", user, "-v", files + ":/host",
                "--label", "gantry.metrics.file=/host/app.prom"), "sh", "-c",
                "i=0; while :; do i=$((i+1)); printf '# HELP app_loops_total Loops run.\\n# TYPE app_loops_total"
                        + " counter\\napp_loops_total %s\\n' $i > /host/.app.prom.tmp && mv /host/.app.prom.tmp"
                        + " /host/app.prom; sleep 1; done");
        int webPort = Processes.freePort();
        server = run("server", List.of("-p", "127.0.0.1:" + webPort + ":8080", "--label", "gantry.metrics.port=8080"),
                "sh", "-c", "mkdir -p /www && printf '# TYPE web_up gauge\\nweb_up{shard=\"a\"} 1\\n' > /www/metrics"
                        + " && exec httpd -f -p 8080 -h /www");
        malformed = run("malformed", List.of("--user", user, "-v", bad + ":/host",
                "--label", "gantry.metrics.file=/host/app.prom"), "sleep", "3600");
        broker = Mosquitto.on(dir).start();
        int prometheusPort = Processes.freePort();
        scrapeUri = URI.create("http://127.0.0.1:" + prometheusPort + "/metrics");
        agent = AgentUnderTest.start(dir.resolve("agent"), """
                {"connection": {"broker_url": "tcp://127.0.0.1:%d"},
                 "things": {"device_id": "own.metrics:gw", "tenant_id": "e2e"},
                 "deployment": {"enable": false},
                 "metrics": {"prometheus": {"enable": true, "listen": "127.0.0.1:%d"},
                             "own": {"interval": "1s", "timeout": "1s", "max_size": "64k"}},
                 "state_dir": "%s"}
                """.formatted(broker.port(), prometheusPort, dir.resolve("state")));
        // Made by Gantry (the CLI, against the agent's configuration), so it gets Gantry's own mounts.
        CliRun created = CliRun.of(config -> new DockerContainerEngine(() -> config), Clock.systemUTC(), "--config",
                agent.configFile().toString(), "create", "--name", RUN + "-provided", "--start",
                "--label", "gantry.metrics.dir=/metrics", "--label", "gantry.time.status=/host", TestImages.BUSYBOX,
                "sh", "-c", "i=0; while :; do i=$((i+1)); t=0; [ -e /host/.time-status ] && t=1;"
                        + " printf '# TYPE app_time_status_present gauge\\napp_time_status_present %s\\n"
                        + "# TYPE app_wait_seconds histogram\\napp_wait_seconds_bucket{le=\"0.5\"} 1\\n"
                        + "app_wait_seconds_bucket{le=\"+Inf\"} %s\\napp_wait_seconds_sum %s\\n"
                        + "app_wait_seconds_count %s\\n' $t $i $i $i > /metrics/.m.tmp"
                        + " && mv /metrics/.m.tmp /metrics/metrics.prom; sleep 1; done");
        assertThat(created.exit()).as(created.err()).isZero();
        provided = created.out().strip();
    }

    @AfterAll
    static void removeEverything() {
        if (provided != null && !provided.isBlank()) {
            Processes.run("docker", "rm", "-f", provided);
        }
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
        String ids = Processes.run("docker", "ps", "-aq", "--filter", "label=io.gantry.test=" + RUN);
        if (!ids.isBlank()) {
            List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
            rm.addAll(List.of(ids.split("\\s+")));
            Processes.run(rm.toArray(String[]::new));
        }
    }

    @Test
    void theWritersAndTheServersMetrics_areServedWithNameAndId_andTheMalformedOneIsReported() throws Exception {
        String writerLine = "app_loops_total{container_id=\"" + writer + "\",container_name=\"" + RUN + "-writer\"} ";
        String serverLine = "web_up{container_id=\"" + server + "\",container_name=\"" + RUN + "-server\",shard=\"a\"} 1";
        String malformedUp = "gantry_container_own_metrics_up{container_id=\"" + malformed + "\",container_name=\""
                + RUN + "-malformed\"} 0";
        String body = awaitScrape(List.of(writerLine, serverLine, malformedUp));

        assertThat(ExpositionGrammar.violations(body)).isEmpty();
        assertThat(body).doesNotContain("many");
        double first = loops(body, writerLine);
        double later = loops(awaitScrapeWhere(b -> b.contains(writerLine) && loops(b, writerLine) > first), writerLine);
        assertThat(later).as("the writer's counter, collected again").isGreaterThan(first);
        assertThat(agent.warnings()).anyMatch(w -> w.contains(RUN + "-malformed") && w.contains("malformed exposition:"
                + " line 1: \"many\" is not a number"));
    }

    @Test
    void aContainerGantryCreatedWithTheLabels_getsItsDirectoryAndTheTimeStatus_andItsHistogramIsServed()
            throws Exception {
        String labels = "container_id=\"" + provided + "\",container_name=\"" + RUN + "-provided\"";
        String body = awaitScrape(List.of("app_time_status_present{" + labels + "} 1",
                "app_wait_seconds_bucket{" + labels + ",le=\"0.5\"} 1", "app_wait_seconds_bucket{" + labels
                        + ",le=\"+Inf\"}", "app_wait_seconds_count{" + labels + "}"));
        assertThat(ExpositionGrammar.violations(body)).isEmpty();
        assertThat(body).contains("# TYPE app_wait_seconds histogram");
        // The host side is Gantry's: the time directory read-only, the container's own directory read-write.
        Path state = dir.resolve("state");
        assertThat(Processes.run("docker", "inspect", "-f",
                "{{range .Mounts}}{{.Source}}>{{.Destination}}:{{.RW}} {{end}}", provided).strip().split(" "))
                .containsExactlyInAnyOrder(state.resolve("time") + ">/host:false",
                        state.resolve("metrics").resolve(RUN + "-provided") + ">/metrics:true");

        Processes.run("docker", "rm", "-f", provided);

        Path metricsDir = state.resolve("metrics").resolve(RUN + "-provided");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !Files.exists(metricsDir));
        assertThat(state.resolve("time")).isDirectory();
    }

    private static double loops(String body, String prefix) {
        int at = body.indexOf(prefix) + prefix.length();
        return Double.parseDouble(body.substring(at, body.indexOf('\n', at)).strip());
    }

    private static String awaitScrape(List<String> fragments) throws Exception {
        return awaitScrapeWhere(b -> fragments.stream().allMatch(b::contains));
    }

    private static String awaitScrapeWhere(java.util.function.Predicate<String> done) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(WAIT);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(scrapeUri).build(),
                    HttpResponse.BodyHandlers.ofString());
            body = response.body();
            if (response.statusCode() == 200 && done.test(body)) {
                return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the scrape never showed what was expected within " + WAIT + "; last:\n" + body);
    }

    private static String run(String name, List<String> options, String... command) {
        List<String> line = new ArrayList<>(List.of("docker", "run", "-d", "--name", RUN + "-" + name,
                "--label", "io.gantry.test=" + RUN));
        line.addAll(options);
        line.add(TestImages.BUSYBOX);
        line.addAll(List.of(command));
        return Processes.run(line.toArray(String[]::new)).strip();
    }
}

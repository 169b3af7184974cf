package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.LabellingEngine;
import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI, in-process through picocli, against the real engine and a local registry. */
class CliIT {

    private static final String RUN = "cli-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private static final String IDLE = "trap 'exit 0' TERM INT; while true; do sleep 3600 & wait $!; done";

    private static Path directory;
    private static LocalRegistry registry;
    private static Path config;

    @BeforeAll
    static void startRegistry() throws IOException {
        TestImages.ensureBusybox(null);
        directory = Files.createTempDirectory("gantry-cli");
        registry = LocalRegistry.start(directory, Optional.empty(), Optional.empty());
        config = Files.writeString(directory.resolve("config.json"), "{}");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
        Processes.run("rm", "-rf", directory.toString());
    }

    @AfterEach
    void removeWhatThisRunCreated() {
        String ids = Processes.docker(null, "ps", "-aq", "--filter", "label=io.gantry.test=" + RUN);
        if (!ids.isBlank()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            Processes.docker(null, args.toArray(String[]::new));
        }
    }

    private static CliRun gantry(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return CliRun.of(c -> new LabellingEngine(new DockerContainerEngine(() -> c), Map.of("io.gantry.test", RUN)),
                Clock.systemUTC(), all.toArray(String[]::new));
    }

    private static String name(String suffix) {
        return "gantry-" + RUN + "-" + suffix;
    }

    @Test
    void createPsInspectLogsStopRm_manageARealContainer() throws Exception {
        String web = name("web");
        int port = Processes.freePort();

        CliRun created = gantry("create", "--name", web, "-p", "127.0.0.1:" + port + ":80", "-e", "MODE=edge",
                "-m", "64m", "--cpus", "0.5", "--restart", "on-failure:3", "--log-opt", "max-size=10m",
                "--label", "app=demo", "--start", TestImages.BUSYBOX,
                "sh", "-c", "echo hello; echo oops >&2; exec httpd -f -p 80 -h /www");

        assertThat(created.err()).isEmpty();
        assertThat(created.exit()).isZero();
        String id = created.out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(gantry("ps").out()).contains(id.substring(0, 12), web, "Up ", "127.0.0.1:" + port + ":80/tcp", "yes");
        JsonNode inspected = new ObjectMapper().readTree(gantry("inspect", web, "-o", "json").out());
        assertThat(inspected.path("spec").path("resources").path("memory").asText()).isEqualTo("64m");
        assertThat(inspected.path("spec").path("restart_policy").path("max_retries").asInt()).isEqualTo(3);
        assertThat(inspected.path("spec").path("labels").path("app").asText()).isEqualTo("demo");
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).isEqualTo("gantry test image\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CliRun logs = gantry("logs", web);
            assertThat(logs.out()).isEqualTo("hello\n");
            assertThat(logs.err()).isEqualTo("oops\n");
        });

        // httpd as PID 1 ignores SIGTERM: stop waits for -t, then kills.
        CliRun stopped = gantry("stop", "-t", "1", web);
        assertThat(stopped.out()).isEqualTo(web + "\n");
        assertThat(gantry("ps").out()).doesNotContain(web);
        assertThat(gantry("ps", "-a").out()).contains(web, "Exited (137)");
        assertThat(gantry("rm", web).out()).isEqualTo(web + "\n");
        assertThat(gantry("ps", "-a").out()).doesNotContain(web);
    }

    @Test
    void pauseResumeRenameAndStopWithASignal() {
        String before = name("before");
        String after = name("after");
        gantry("create", "--name", before, "--restart", "no", "--start", TestImages.BUSYBOX, "sh", "-c", IDLE);

        assertThat(gantry("pause", before).exit()).isZero();
        assertThat(gantry("ps").out()).contains("(Paused)");
        assertThat(gantry("resume", before).exit()).isZero();
        assertThat(gantry("rename", before, after).out()).isEqualTo(after + "\n");
        CliRun stop = gantry("stop", "-s", "SIGINT", after);

        assertThat(stop.exit()).isZero();
        assertThat(stop.err()).isEmpty();
        assertThat(gantry("ps", "-a").out()).contains(after, "Exited (0)");
        assertThat(gantry("inspect", before).exit()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void create_ofAnImageOnlyInTheRegistry_pullsItFirst() {
        String image = registry.address() + "/gantry-test/" + RUN + ":1";
        Processes.docker(null, "tag", TestImages.BUSYBOX, image);
        Processes.docker(null, "push", image);
        Processes.docker(null, "rmi", image);
        try {
            CliRun run = gantry("create", "--name", name("pulled"), image);

            assertThat(run.exit()).isZero();
            assertThat(run.err()).isEqualTo("Pulling " + image + " ...\n");
            assertThat(Processes.attempt(Map.of(), "docker", "image", "inspect", image).exitCode()).isZero();
        } finally {
            removeWhatThisRunCreated();
            Processes.attempt(Map.of(), "docker", "rmi", image);
        }
    }

    @Test
    void create_ofAnImageInNoRegistry_failsWithOneLine() {
        String image = registry.address() + "/gantry-test/nowhere:1";

        CliRun run = gantry("create", "--name", name("nowhere"), image);

        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).startsWith("Pulling " + image + " ...\ngantry: pull of " + image + " failed: ")
                .contains("not found").endsWith("\n");
        assertThat(run.err().lines()).hasSize(2);
    }

    @Test
    void unknownContainerAndUnreachableEngine_areOneLineEach() {
        CliRun unknown = gantry("stop", name("nosuch"));
        CliRun unreachable = gantry("-H", "unix:///nonexistent/docker.sock", "ps");

        assertThat(unknown.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknown.err()).isEqualTo("gantry: no such container: " + name("nosuch") + "\n");
        assertThat(unreachable.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(unreachable.err()).startsWith("gantry: cannot reach the engine at unix:///nonexistent/docker.sock: ")
                .endsWith("\n");
        assertThat(unreachable.err().lines()).hasSize(1);
    }

    @Test
    void version_namesBothVersions() {
        CliRun run = gantry("version");

        assertThat(run.out()).startsWith("Gantry:  " + GantryVersion.version() + "\nEngine:  ")
                .contains("API 1.41");
    }
}

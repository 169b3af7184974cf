package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.config.AgentConfig;
import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.LogSink;
import io.gantry.core.container.Mount;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI against the fake engine: output formats, JSON, exit codes and every error line. */
class CliTest {

    private static final String IMAGE = "gantry-test/busybox:1";
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final FakeContainerEngine fake = new FakeContainerEngine(Clock.fixed(NOW.minusSeconds(300), ZoneOffset.UTC))
            .withImage(IMAGE).withRegistryImage("registry.example.com/edge/app:2");
    private final List<AgentConfig> configs = new ArrayList<>();
    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void emptyConfigFile() throws IOException {
        config = Files.writeString(dir.resolve("config.json"), "{}");
    }

    private CliRun gantry(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return CliRun.of(c -> {
            configs.add(c);
            return fake;
        }, Clock.fixed(NOW, ZoneOffset.UTC), all.toArray(String[]::new));
    }

    private ContainerId running(String name) {
        ContainerId id = fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName(name))
                .addPort(PortMapping.parse("127.0.0.1:8080:80")).build(), Map.of());
        fake.start(id);
        return id;
    }

    private Container container(String name) {
        return fake.find(name).orElseThrow();
    }

    // ---- ps ------------------------------------------------------------------------------------------------

    @Test
    void ps_printsATableOfRunningContainers() {
        running("web");
        fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("idle")).build(), Map.of());
        fake.addUnmanaged(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("byhand"))
                .buildAsReported());
        fake.start(container("byhand").id());

        CliRun run = gantry("ps");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).containsExactly(
                "CONTAINER ID   NAME     IMAGE                   STATUS         PORTS                   MANAGED",
                container("byhand").id().shortForm() + "   byhand   gantry-test/busybox:1   Up 5 minutes"
                        + "                           -",
                container("web").id().shortForm() + "   web      gantry-test/busybox:1   Up 5 minutes   "
                        + "127.0.0.1:8080:80/tcp   yes");
    }

    @Test
    void ps_all_includesStoppedContainers() {
        running("web");
        fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("idle")).build(), Map.of());

        CliRun run = gantry("ps", "-a");

        assertThat(run.out()).contains("idle", "Created", "web");
    }

    @Test
    void ps_json_printsEveryContainerWithItsSpec() throws IOException {
        running("web");

        for (String[] args : List.of(new String[] {"ps", "--output", "json"}, new String[] {"-o", "json", "ps"})) {
            CliRun run = gantry(args);

            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.isArray()).isTrue();
            assertThat(json.get(0).path("name").asText()).isEqualTo("web");
            assertThat(json.get(0).path("managed").asBoolean()).isTrue();
            assertThat(json.get(0).path("state").path("status").asText()).isEqualTo("running");
            assertThat(json.get(0).path("spec").path("ports").get(0).asText()).isEqualTo("127.0.0.1:8080:80/tcp");
            assertThat(json.get(0).path("spec").path("restart_policy").path("type").asText())
                    .isEqualTo("unless-stopped");
        }
    }

    // ---- inspect -------------------------------------------------------------------------------------------

    @Test
    void inspect_printsStateAndSpec() {
        ContainerId id = running("web");

        CliRun run = gantry("inspect", "web");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("ID:             " + id.value(), "Name:           web",
                "Status:         Up 5 minutes, pid ", "Ports:          127.0.0.1:8080:80/tcp",
                "Restart policy: unless-stopped", "Log:            json-file (2 files of 100M)",
                "Gantry labels:  io.gantry.managed=true");
    }

    @Test
    void inspect_json_byIdPrefix() throws IOException {
        ContainerId id = running("web");

        CliRun run = gantry("inspect", id.value().substring(0, 62), "-o", "json");

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("id").asText()).isEqualTo(id.value());
        assertThat(json.path("spec").path("log").path("max_size").asText()).isEqualTo("100M");
    }

    @Test
    void inspect_unknownContainer_isOneErrorLineAndExitOne() {
        CliRun run = gantry("inspect", "nosuch");

        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("gantry: no such container: nosuch\n");
    }

    // ---- create --------------------------------------------------------------------------------------------

    @Test
    void create_mapsEveryOptionToTheSpec() {
        CliRun run = gantry("create", "--name", "web", "-e", "A=1", "-e", "B=", "-p", "127.0.0.1:8080:80",
                "-p", "5000-5010:5000/udp", "-v", "/data:/d:ro", "-v", "cache:/cache", "--device",
                "/dev/null:/dev/x:rw", "--restart", "on-failure:2", "-m", "64m", "--memory-reservation", "32m",
                "--memory-swap", "128m", "--cpus", "0.5", "--gpus", "all", "--network", "bridge",
                "--add-host", "gw:host_ip", "--log-driver", "local", "--log-opt", "max-file=3", "--log-opt",
                "max-size=5m", "--log-opt", "compress=false", "-h", "box", "--domainname", "example.org",
                "--entrypoint", "/bin/sh", "--label", "tier=edge", "-t", "-i", "--runtime", "runc",
                IMAGE, "-c", "echo hi");

        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        Container c = container("web");
        assertThat(run.out()).isEqualTo(c.id().value() + "\n");
        ContainerSpec expected = ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("web"))
                .env(List.of(EnvVar.of("A", "1"), EnvVar.of("B", "")))
                .ports(List.of(PortMapping.parse("127.0.0.1:8080:80/tcp"), PortMapping.parse("5000-5010:5000/udp")))
                .mounts(List.of(Mount.parse("/data:/d:ro"), Mount.parse("cache:/cache")))
                .devices(List.of(DeviceMapping.parse("/dev/null:/dev/x:rw")))
                .restartPolicy(RestartPolicy.onFailure(2, Duration.ZERO))
                .resources(new Resources(Optional.of(ByteSize.parse("64m")), Optional.of(ByteSize.parse("32m")),
                        Optional.of(ByteSize.parse("128m")), false, Optional.of(new BigDecimal("0.5")),
                        Optional.of(Gpus.ALL)))
                .extraHosts(List.of(ExtraHost.parse("gw:host_ip")))
                .log(new LogConfig("local", 3, Optional.of(ByteSize.parse("5m")), LogConfig.Mode.BLOCKING,
                        Optional.empty(), Map.of("compress", "false")))
                .hostname("box").domainname("example.org")
                .entrypoint(List.of("/bin/sh")).cmd(List.of("-c", "echo hi"))
                .labels(Map.of("tier", "edge")).tty(true).openStdin(true).runtime("runc")
                .build();
        assertThat(c.spec()).isEqualTo(expected);
        assertThat(c.managed()).isTrue();
        assertThat(c.status()).isEqualTo(ContainerStatus.CREATED);
    }

    @Test
    void create_defaults_areGantrysAndTheImagesOwn() {
        gantry("create", "--name", "plain", IMAGE);

        assertThat(container("plain").spec()).isEqualTo(ContainerSpec.builder(ImageRef.parse(IMAGE))
                .name(new ContainerName("plain")).build());
    }

    @Test
    void create_logDriverNone_hasNoRotation() {
        gantry("create", "--name", "quiet", "--log-driver", "none", "--memory-swap", "-1", "-m", "64m", IMAGE);

        Container c = container("quiet");
        assertThat(c.spec().log()).isEqualTo(new LogConfig("none", 0, Optional.empty(), LogConfig.Mode.BLOCKING,
                Optional.empty(), Map.of()));
        assertThat(c.spec().resources().unlimitedSwap()).isTrue();
    }

    @Test
    void create_start_startsIt_andJsonPrintsTheContainer() throws IOException {
        CliRun run = gantry("create", "--name", "web", "--start", "-o", "json", IMAGE);

        assertThat(container("web").status()).isEqualTo(ContainerStatus.RUNNING);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("name").asText()).isEqualTo("web");
        assertThat(json.path("state").path("status").asText()).isEqualTo("running");
    }

    @Test
    void create_missingImage_isPulledFirst() {
        CliRun run = gantry("create", "--name", "app", "registry.example.com/edge/app:2");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEqualTo("Pulling registry.example.com/edge/app:2 ...\n");
        assertThat(fake.operations()).containsExactly("pull registry.example.com/edge/app:2", "create app");
    }

    @Test
    void create_imageInNoRegistry_failsWithThePullError() {
        CliRun run = gantry("create", "--name", "app", "registry.example.com/edge/missing:1");

        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).endsWith("gantry: pull access denied for registry.example.com/edge/missing, "
                + "repository does not exist\n");
        assertThat(fake.list()).isEmpty();
    }

    @Test
    void create_nameInUse_isAConflict() {
        running("web");

        CliRun run = gantry("create", "--name", "web", IMAGE);

        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("gantry: the container name \"/web\" is already in use\n");
    }

    /** Every bad value is one line naming the option and what was expected, with exit code 2. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-p 80:x | Invalid value for option '--publish' ([IP:]HOST_PORT[-END]:PORT[/PROTO]): invalid port mapping \"80:x\": container port \"x\" is not a number from 1 to 65535",
            "-v data | Invalid value for option '--volume' (SOURCE:DEST[:OPTIONS]): invalid mount \"data\": expected source:destination[:propagation][,ro]",
            "--device /dev/null:/x:rwx | Invalid value for option '--device' (HOST[:CONTAINER[:rwm]]): invalid device mapping \"/dev/null:/x:rwx\": cgroup permissions \"rwx\" must be one to three of r, w, m",
            "-e 1A=b | Invalid value for option '--env' (NAME=VALUE): invalid environmental variable declaration provided : 1A=b (expected NAME=VALUE, NAME= or NAME, with NAME of letters, digits and _)",
            "--restart sometimes | Invalid value for option '--restart': unsupported restart policy type sometimes (expected no, always, unless-stopped or on-failure[:MAX_RETRIES])",
            "--restart always:3 | Invalid value for option '--restart': unsupported restart policy type always:3 (only on-failure takes a maximum retry count)",
            "-m 512 | Invalid value for option '--memory': \"512\" is not a size (e.g. 512m, 1.5g, 100MiB)",
            "-m 4m | Invalid value for option '--memory': minimum memory allowed is 6M",
            "-m 64m --memory-reservation 128m | Invalid value for option '--memory-reservation': reservation memory - 128m must be lower than memory - 64m",
            "--memory-swap 1g | Invalid value for option '--memory-swap': swap memory - 1g, memory must be set as well",
            "--memory-swap lots -m 64m | Invalid value for option '--memory-swap': \"lots\" is not a size (e.g. 512m, 1.5g, 100MiB)",
            "--cpus abc | Invalid value for option '--cpus': invalid cpus \"abc\": expected a decimal number such as 1.5",
            "--cpus 0.0001 | Invalid value for option '--cpus': cpus 0.0001 must be a number from 0.001 to 1024 with at most 3 decimals",
            "--gpus 0 | Invalid value for option '--gpus': invalid gpus \"0\": expected \"all\" or a count of at least 1",
            "--network bad/net | Invalid value for option '--network': unsupported network mode bad/net (expected bridge, host, none, container:<name> or a network name)",
            "--add-host nocolon | Invalid value for option '--add-host' (NAME:ADDRESS): invalid extra host \"nocolon\": expected name:address",
            "--log-driver syslog | Invalid value for option '--log-driver': unsupported log driver configuration: \"syslog\" (expected json-file, local or none)",
            "--log-opt max-file=many | Invalid value for option '--log-opt': invalid log option max-file=many: expected a number of files",
            "--log-opt mode=fast | Invalid value for option '--log-opt': unsupported log mode configuration: fast (expected blocking or non-blocking)",
            "--log-opt novalue | Value for option option '--log-opt' (KEY=VALUE) should be in KEY=VALUE format but was novalue",
            "--label io.gantry.managed=false | Invalid value for option '--label': label io.gantry.managed is reserved for Gantry",
            "--name -bad | Invalid value for option '--name': invalid container name format : -bad (expected letters, digits and _ . -, not starting with . or -)",
            "--network host -p 80:80 | Invalid options: cannot use port mappings when in host network mode",
            "--privileged --device /dev/null | Invalid options: cannot create the container as privileged and with specified devices at the same time - choose one of the options",
            "--frobnicate | Unknown option: '--frobnicate'"})
    void create_badValue_isOneLineNamingTheOption(String options, String message) {
        List<String> args = new ArrayList<>(List.of("create"));
        args.addAll(List.of(options.trim().split(" ")));
        args.add(IMAGE);

        CliRun run = gantry(args.toArray(String[]::new));

        assertThat(run.err()).isEqualTo("gantry: " + message + "\n");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(fake.list()).isEmpty();
    }

    @Test
    void create_badImageAndMissingImage_areUsageErrors() {
        CliRun bad = gantry("create", "Bad/Image");
        CliRun none = gantry("create");

        assertThat(bad.err()).isEqualTo("gantry: Invalid value for positional parameter at index 0 (IMAGE): invalid "
                + "image reference \"Bad/Image\": the repository \"Bad/Image\" must be lower-case letters, digits and "
                + "separators (. _ -)\n");
        assertThat(none.err()).isEqualTo("gantry: Missing required parameter: 'IMAGE'\n");
        assertThat(List.of(bad.exit(), none.exit())).containsOnly(ExitCodes.USAGE);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    @Test
    void startStopPauseResumeRenameRm_actOnTheNamedContainers() {
        fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("a")).build(), Map.of());
        fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("b")).build(), Map.of());

        assertThat(gantry("start", "a", "b").out()).isEqualTo("a\nb\n");
        assertThat(gantry("pause", "a").out()).isEqualTo("a\n");
        assertThat(container("a").status()).isEqualTo(ContainerStatus.PAUSED);
        assertThat(gantry("resume", "a").out()).isEqualTo("a\n");
        assertThat(gantry("unpause", "a").exit()).isZero();
        assertThat(container("a").status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(gantry("stop", "a").out()).isEqualTo("a\n");
        assertThat(container("a").status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(gantry("rename", "a", "c").out()).isEqualTo("c\n");
        assertThat(gantry("rm", "c").out()).isEqualTo("c\n");
        assertThat(gantry("rm", "-f", "b").out()).isEqualTo("b\n");

        assertThat(fake.list()).isEmpty();
    }

    @Test
    void stop_withTimeAndSignal_passesThemOn() {
        ContainerId id = running("web");
        List<ContainerEvent> events = new ArrayList<>();
        fake.subscribe(new EngineListener() {
            @Override
            public void onEvent(ContainerEvent event) {
                events.add(event);
            }
        });

        CliRun run = gantry("stop", "-t", "5", "-s", "int", "web");

        assertThat(run.exit()).isZero();
        assertThat(events).extracting(ContainerEvent::kind).containsExactly(ContainerEvent.Kind.KILLED,
                ContainerEvent.Kind.DIED);
        assertThat(events.get(0).attribute("signal")).contains("2");
        assertThat(fake.inspect(id).orElseThrow().status()).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void rm_ofARunningContainerWithoutForce_reportsTheConflictAndGoesOn() {
        running("busy");
        fake.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("idle")).build(), Map.of());

        CliRun run = gantry("rm", "busy", "nosuch", "idle");

        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).isEqualTo("idle\n");
        assertThat(run.err().lines()).hasSize(2).satisfiesExactly(
                l -> assertThat(l).startsWith("gantry: You cannot remove a running container "),
                l -> assertThat(l).isEqualTo("gantry: no such container: nosuch"));
        assertThat(fake.find("busy")).isPresent();
    }

    @Test
    void actions_json_listTheContainersDone() throws IOException {
        ContainerId id = running("web");

        CliRun run = gantry("-o", "json", "stop", "web");

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get(0).path("id").asText()).isEqualTo(id.value());
        assertThat(json.get(0).path("name").asText()).isEqualTo("web");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "stop -t -1 web | Invalid value for option '--time': the timeout = -1 shouldn't be negative (expected a whole number of seconds)",
            "stop -s SIGFOO web | Invalid value for option '--signal': invalid signal = SIGFOO (expected a signal name such as SIGTERM or TERM, or a number from 1 to 64)",
            "stop -t soon web | Invalid value for option '--time': 'soon' is not an int (expected a whole number of seconds)",
            "logs --tail -2 web | Invalid value for option '--tail': --tail must not be negative (expected a number of lines)",
            "rename web bad/name | Invalid value for positional parameter at index 1 (NEW_NAME): invalid container name format : bad/name (expected letters, digits and _ . -, not starting with . or -)",
            "start | Missing required parameter: 'CONTAINER'",
            "--output yaml ps | Invalid value for option '--output': expected one of [TABLE, JSON] (case-insensitive) but was 'yaml'",
            "frobnicate | Unmatched argument at index 2: 'frobnicate'"})
    void badUsage_isOneLineAndExitTwo(String args, String message) {
        running("web");

        CliRun run = gantry(args.split(" "));

        assertThat(run.err()).isEqualTo("gantry: " + message + "\n");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    }

    // ---- logs and version ----------------------------------------------------------------------------------

    @Test
    void logs_printStdoutAndStderrSeparately_withTail() {
        ContainerId id = running("web");
        fake.print(id, LogSink.Stream.STDOUT, "one\ntwo\n");
        fake.print(id, LogSink.Stream.STDERR, "oops\n");

        CliRun all = gantry("logs", "web");
        CliRun tail = gantry("logs", "--tail", "1", "web");

        assertThat(all.out()).isEqualTo("one\ntwo\n");
        assertThat(all.err()).isEqualTo("oops\n");
        assertThat(tail.out()).isEmpty();
        assertThat(tail.err()).isEqualTo("oops\n");
    }

    @Test
    void version_printsGantrysAndTheEnginesVersion() throws IOException {
        CliRun table = gantry("version");
        CliRun json = gantry("version", "-o", "json");

        assertThat(table.out().lines()).containsExactly("Gantry:  " + GantryVersion.version(),
                "Engine:  fake (API 1.41, linux/amd64, cgroup v2)");
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.path("engine").path("api_version").asText()).isEqualTo("1.41");
        assertThat(node.path("gantry").path("version").asText()).isEqualTo(GantryVersion.version());
    }

    // ---- engine and configuration --------------------------------------------------------------------------

    @Test
    void engineDown_isExit69WithTheEnginesMessage() {
        fake.goDown();

        CliRun run = gantry("ps");

        assertThat(run.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(run.err()).isEqualTo("gantry: cannot reach the fake engine\n");
    }

    @Test
    void configFile_engineSectionIsRead_andHostOptionOverridesIt() throws IOException {
        Files.writeString(config, "{\"engine\":{\"host\":\"tcp://gateway:2375\",\"api_timeout\":\"5s\","
                + "\"default_stop_timeout\":10,\"pull_retries\":1}}");

        gantry("ps");
        gantry("-H", "unix:///run/other.sock", "ps");

        assertThat(configs.get(0).engine().host()).isEqualTo("tcp://gateway:2375");
        assertThat(configs.get(0).engine().apiTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(configs.get(0).engine().defaultStopTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(configs.get(0).engine().pullRetries()).isEqualTo(1);
        assertThat(configs.get(1).engine().host()).isEqualTo("unix:///run/other.sock");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"engine\":{\"api_timeout\":\"20x\"}} | engine.api_timeout: \"20x\" is not a duration (e.g. 20s, 1m)",
            "{\"engine\":{\"pull_retries\":-1}} | engine.pull_retries: -1 is negative; expected 0 or more",
            "{\"engine\":{\"host\":5}} | engine.host: expected a string, got a number (5)",
            "{not json | syntax error at line 1, column 2: Unexpected character ('n'): was expecting double-quote to start field name"})
    void configFile_badValue_isExit78NamingFileAndKey(String content, String message) throws IOException {
        Files.writeString(config, content);

        CliRun run = gantry("ps");

        assertThat(run.exit()).isEqualTo(ExitCodes.CONFIG);
        // Every problem of the file on its own line, with its JSON path (ConfigLoader's report).
        assertThat(run.err()).isEqualTo("gantry: " + config + ": 1 problem\n" + message + "\n");
        assertThat(configs).isEmpty();
    }

    @Test
    void configFile_missing_isExit78() {
        CliRun run = CliRun.of(c -> fake, Clock.systemUTC(), "--config", dir.resolve("nope.json").toString(), "ps");

        assertThat(run.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).isEqualTo("gantry: " + dir.resolve("nope.json") + ": 1 problem\nfile not found\n");
    }

    @Test
    void noCommand_printsUsageAndExitsTwo() {
        CliRun run = gantry();

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Usage: gantry");
    }
}

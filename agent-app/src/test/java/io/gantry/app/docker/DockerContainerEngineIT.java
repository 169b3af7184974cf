package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEngineContract;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.StopOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract against the real Docker engine, plus what only a real engine can show: extra hosts resolved at create
 * time, named networks and volumes, and containers made by hand with settings Gantry would never write. One instance
 * per class, so that a subclass ({@link PodmanContainerEngineIT}) can start another engine for all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerContainerEngineIT extends ContainerEngineContract {

    /** Keeps the processes started by the hooks below simple: they only need /bin/sh and busybox. */
    private static final List<String> IDLE = List.of("sh", "-c",
            "trap 'exit 0' TERM INT; trap 'exit $(cat /tmp/exit-code)' USR1; while true; do sleep 3600 & wait $!; done");

    private DockerContainerEngine engine;
    private LocalRegistry registry;
    private Path registryDirectory;
    /** The engine's URL; null: the machine's Docker engine. */
    private String host;
    private final List<Runnable> cleanups = new ArrayList<>();

    @BeforeAll
    void startEngineAndRegistry() throws IOException {
        registryDirectory = Files.createTempDirectory("gantry-registry");
        registry = LocalRegistry.start(registryDirectory, Optional.empty(), Optional.empty());
        host = startEngine(registry.address());
        TestImages.ensureBusybox(host);
        AgentConfig config = host == null ? AgentConfig.DEFAULTS
                : AgentConfig.DEFAULTS.withEngine(AgentConfig.DEFAULTS.engine().withHost(host));
        engine = new DockerContainerEngine(() -> config);
    }

    @AfterAll
    void stopEngineAndRegistry() {
        engine.close();
        stopEngine();
        registry.close();
        Processes.run("rm", "-rf", registryDirectory.toString());
    }

    /**
     * Starts the engine under test, which reaches {@code insecureRegistry} over plain HTTP, and returns its URL; null
     * (here): the machine's Docker engine, which trusts 127.0.0.0/8 by default.
     */
    protected String startEngine(String insecureRegistry) {
        return null;
    }

    /** Stops what {@link #startEngine} started. */
    protected void stopEngine() {
    }

    /** What {@code docker inspect} shows as {@code HostConfig.NetworkMode} for a container on {@code network}. */
    protected String reportedNetworkMode(String network) {
        return network;
    }

    /** What the engine reports for {@code -p 127.0.0.1::80/udp} before the container ran: no host port. */
    protected String handMadeAnyHostPort() {
        return "127\\.0\\.0\\.1:80/udp";
    }

    /** Whether the engine keeps {@code --memory-swap -1} as unlimited swap. */
    protected boolean keepsUnlimitedSwap() {
        return true;
    }

    /** The log options of the odd hand-made container: a driver Gantry never writes, with an option. */
    protected List<String> handMadeLogOptions() {
        return List.of("--log-driver", "syslog", "--log-opt", "syslog-address=udp://127.0.0.1:1");
    }

    private String hostOrDefault() {
        return host == null ? "unix:///var/run/docker.sock" : host;
    }

    @org.junit.jupiter.api.AfterEach
    void runCleanups() {
        cleanups.forEach(Runnable::run);
        cleanups.clear();
    }

    @Override
    protected ContainerEngine engine() {
        return engine;
    }

    @Override
    protected ImageRef image() {
        return ImageRef.parse(TestImages.BUSYBOX);
    }

    @Override
    protected ImageRef missingImage() {
        return ImageRef.parse(registry.address() + "/gantry-test/missing:1");
    }

    @Override
    protected List<String> idleCommand() {
        return IDLE;
    }

    @Override
    protected void exitProcess(ContainerId id, int exitCode) {
        Processes.docker(host, "exec", id.value(), "sh", "-c", "echo " + exitCode + " > /tmp/exit-code; kill -USR1 1");
    }

    @Override
    protected void print(ContainerId id, String stdoutLine, String stderrLine) {
        Processes.docker(host, "exec", id.value(), "sh", "-c", "echo \"$1\" > /proc/1/fd/1; echo \"$2\" > /proc/1/fd/2",
                "sh", stdoutLine, stderrLine);
    }

    @Override
    protected ContainerId createUnmanaged(ContainerName name, Map<String, String> labels) {
        List<String> args = new ArrayList<>(List.of("create", "--name", name.value()));
        labels.forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        args.add(TestImages.BUSYBOX);
        args.addAll(IDLE);
        return ContainerId.of(Processes.docker(host, args.toArray(String[]::new)));
    }

    private String dockerInspect(ContainerId id, String template) {
        return Processes.docker(host, "inspect", "-f", template, id.value());
    }

    // ---- only a real engine can show these ---------------------------------------------------------------------

    @Test
    void create_resolvesKantosReservedExtraHostsAtCreateTime() {
        ContainerId target = create(idle("target").build());
        engine.start(target);
        String targetName = inspect(target).name().value();
        String targetIp = dockerInspect(target, "{{.NetworkSettings.IPAddress}}");
        ContainerSpec spec = idle("hosts").extraHosts(List.of(ExtraHost.parse("gateway:host_ip"),
                ExtraHost.parse("loopback:host_ip_lo"), ExtraHost.parse("peer:container_" + targetName),
                ExtraHost.parse("kanto-peer:container_" + targetName + "-host"),
                ExtraHost.parse("static:10.1.2.3"))).build();

        ContainerId id = create(spec);

        // container_<x> names a container by its host name (Kanto's <name>-host by default) or by its name
        assertThat(dockerInspect(target, "{{.Config.Hostname}}")).isEqualTo(targetName + "-host");
        assertThat(dockerInspect(id, "{{json .HostConfig.ExtraHosts}}")).contains("\"gateway:host-gateway\"",
                "\"loopback:127.0.0.1\"", "\"peer:" + targetIp + "\"", "\"kanto-peer:" + targetIp + "\"",
                "\"static:10.1.2.3\"");
        assertThat(inspect(id).spec().extraHosts()).isEqualTo(spec.extraHosts());
        engine.start(id);
        assertThat(Processes.docker(host, "exec", id.value(), "cat", "/etc/hosts")).contains(targetIp + "\tpeer");
    }

    @Test
    void create_joinsANamedNetworkAndMountsANamedVolume() {
        String network = prefix() + "net";
        String volume = prefix() + "vol";
        Processes.docker(host, "network", "create", "--label", TEST_LABEL + "=" + runId(), network);
        cleanups.add(() -> Processes.attempt(Map.of(), "docker", "-H", hostOrDefault(), "network", "rm", network));
        cleanups.add(() -> Processes.attempt(Map.of(), "docker", "-H", hostOrDefault(), "volume", "rm", "-f", volume));
        ContainerSpec spec = idle("named").network(NetworkMode.parse(network))
                .mounts(List.of(Mount.parse(volume + ":/data"), Mount.parse("/tmp:/host-tmp:ro"))).build();

        ContainerId id = create(spec);
        engine.start(id);

        assertThat(dockerInspect(id, "{{.HostConfig.NetworkMode}}")).isEqualTo(reportedNetworkMode(network));
        assertThat(dockerInspect(id, "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}")).isEqualTo(network);
        assertThat(dockerInspect(id, "{{range .Mounts}}{{.Type}}:{{.Name}}:{{.Destination}}:{{.RW}} {{end}}"))
                .contains("volume:" + volume + ":/data:true", "bind::/host-tmp:false");
        assertThat(inspect(id).spec()).isEqualTo(spec);
        engine.remove(id, true);
    }

    @Test
    void inspect_ofAnOddHandMadeContainer_derivesItsSpecLeniently() {
        ContainerName name = name("odd");
        List<String> args = new ArrayList<>(List.of("create", "--name", name.value(),
                "--label", TEST_LABEL + "=" + runId(), "--label", "com.example.team=edge"));
        args.addAll(handMadeLogOptions());
        args.addAll(List.of(
                "-v", "/tmp:/odd:z,ro", "--mount", "type=tmpfs,destination=/scratch",
                "--cpus", "1.2345", "-m", "64m", "--memory-swap", "-1", "-p", "127.0.0.1::80/udp",
                "--restart", "on-failure:4", "-e", "ODD=1", TestImages.BUSYBOX, "true"));
        ContainerId id = ContainerId.of(Processes.docker(host, args.toArray(String[]::new)));
        cleanups.add(() -> Processes.docker(host, "rm", "-f", id.value()));

        Container container = engine.inspect(id).orElseThrow();

        assertThat(container.managed()).isFalse();
        ContainerSpec spec = container.spec();
        assertThat(spec.name()).contains(name);
        if (!handMadeLogOptions().isEmpty()) {
            assertThat(spec.log().driver()).isEqualTo("syslog");
            assertThat(spec.log().options()).containsEntry("syslog-address", "udp://127.0.0.1:1");
        }
        assertThat(spec.mounts()).containsExactly(Mount.parse("/tmp:/odd:ro"));
        assertThat(spec.resources().cpus()).contains(new BigDecimal("1.235"));
        assertThat(spec.resources().unlimitedSwap()).isEqualTo(keepsUnlimitedSwap());
        assertThat(spec.ports()).singleElement().asString().matches(handMadeAnyHostPort());
        assertThat(spec.restartPolicy()).hasToString("on-failure:4");
        assertThat(spec.env()).extracting(Object::toString).contains("ODD=1");
        assertThat(spec.labels()).containsEntry("com.example.team", "edge").doesNotContainKey(TEST_LABEL);
        assertThat(container.gantryLabels()).containsEntry(TEST_LABEL, runId());
        assertThat(engine.list()).extracting(Container::id).contains(id);
    }

    @Test
    void logs_follow_deliversNewOutputAndReturnsWhenTheContainerStops() throws Exception {
        ContainerId id = create(idle("follow").build());
        engine.start(id);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() ->
                engine.logs(id, new LogOptions(true, OptionalInt.empty(), false),
                        (stream, bytes) -> lines.add(stream + " " + new String(bytes,
                                StandardCharsets.UTF_8))));

        print(id, "first", "second");
        // The two streams reach the engine through separate pipes, so only each stream's own order is certain.
        List<String> received = new ArrayList<>();
        received.add(lines.poll(20, TimeUnit.SECONDS));
        received.add(lines.poll(20, TimeUnit.SECONDS));
        assertThat(received).containsExactlyInAnyOrder("STDOUT first\n", "STDERR second\n");
        engine.stop(id, StopOptions.DEFAULT);

        following.get(20, TimeUnit.SECONDS);
        assertThat(following).isDone();
    }

    @Test
    void create_sendsLogRotationAsDockerOptions() {
        ContainerId id = create(idle("logopts").log(LogConfig.DEFAULT).build());

        assertThat(dockerInspect(id, "{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}"))
                .isEqualTo("json-file {\"max-file\":\"2\",\"max-size\":\"100M\"}");
    }
}

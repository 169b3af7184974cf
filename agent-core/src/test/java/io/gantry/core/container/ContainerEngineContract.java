package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gantry.config.ByteSize;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour every {@link ContainerEngine} must show, stated once and run against the real Docker engine
 * ({@code DockerContainerEngineIT}), Podman's Docker API ({@code PodmanContainerEngineIT}) and the in-memory fake
 * ({@code FakeContainerEngineTest}), so that the fake stays honest. Event orders are those Docker Engine API 1.41
 * emits. An engine that cannot do something names the row and the reason in {@link #unsupported()}.
 *
 * <p>Tests only touch containers they created: names start with {@link #prefix()}, every container carries the label
 * {@value #TEST_LABEL}, and each one is force-removed after its test.
 */
public abstract class ContainerEngineContract {

    /** The label by which a test run's containers are recognised (and cleaned up). */
    public static final String TEST_LABEL = "io.gantry.test";
    private static final Duration EVENT_WAIT = Duration.ofSeconds(20);

    private final String run = "contract-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private final AtomicInteger names = new AtomicInteger();
    private final List<ContainerId> created = new CopyOnWriteArrayList<>();
    private final List<ContainerEvent> events = new CopyOnWriteArrayList<>();
    private Subscription subscription;

    /** The engine under test; the same instance for every call within a test. */
    protected abstract ContainerEngine engine();

    /** An image present in the engine that can run {@link #idleCommand()}. */
    protected abstract ImageRef image();

    /** An image that is neither present nor in any reachable registry, so that pulling it fails with NOT_FOUND. */
    protected abstract ImageRef missingImage();

    /**
     * A command that runs until stopped, ends at once (code 0) on SIGTERM or SIGINT, and ends with the code given to
     * {@link #exitProcess} when asked.
     */
    protected abstract List<String> idleCommand();

    /** Makes the running process of a container created with {@link #idleCommand()} end with {@code exitCode}. */
    protected abstract void exitProcess(ContainerId id, int exitCode);

    /** Makes a running container write one line to its standard output, then one to its standard error. */
    protected abstract void print(ContainerId id, String stdoutLine, String stderrLine);

    /** Creates a container by hand, not through the port, with {@code labels} and nothing of Gantry's. */
    protected abstract ContainerId createUnmanaged(ContainerName name, Map<String, String> labels);

    /** The value of {@value #TEST_LABEL} on every container of this test instance. */
    protected final String runId() {
        return run;
    }

    /** The prefix of every container name this test instance uses. */
    protected final String prefix() {
        return "gantry-" + run + "-";
    }

    /**
     * The rows of this contract that the engine under test cannot pass, by test method name, each with the reason
     * that the test report shows for the skipped row (an engine's documented limit, never a way to hide a bug).
     */
    protected Map<String, String> unsupported() {
        return Map.of();
    }

    @BeforeEach
    void subscribe(TestInfo test) {
        String reason = unsupported().get(test.getTestMethod().orElseThrow().getName());
        Assumptions.assumeTrue(reason == null, reason);
        events.clear();
        subscription = engine().subscribe(new EngineListener() {
            @Override
            public void onEvent(ContainerEvent event) {
                events.add(event);
            }
        });
    }

    @AfterEach
    void removeWhatThisTestCreated() {
        if (subscription == null) {
            return; // a row skipped by unsupported()
        }
        subscription.close();
        subscription = null;
        for (ContainerId id : created) {
            try {
                engine().remove(id, true);
            } catch (ContainerNotFoundException gone) {
                // removed by the test itself
            }
        }
        created.clear();
    }

    // ---- helpers for subclasses and tests ---------------------------------------------------------------------

    protected final ContainerName name(String suffix) {
        return new ContainerName(prefix() + suffix + "-" + names.incrementAndGet());
    }

    /** A spec for a container that runs {@link #idleCommand()} and is never restarted by the engine. */
    protected final ContainerSpec.Builder idle(String suffix) {
        return ContainerSpec.builder(image()).name(name(suffix)).cmd(idleCommand()).restartPolicy(RestartPolicy.NO);
    }

    protected final ContainerId create(ContainerSpec spec) {
        ContainerId id = engine().create(spec, Map.of(TEST_LABEL, run));
        created.add(id);
        return id;
    }

    protected final ContainerId unmanaged(ContainerName name) {
        ContainerId id = createUnmanaged(name, Map.of(TEST_LABEL, run));
        created.add(id);
        return id;
    }

    protected final Container inspect(ContainerId id) {
        return engine().inspect(id).orElseThrow(() -> new AssertionError("container " + id + " is gone"));
    }

    protected final List<ContainerEvent> eventsOf(ContainerId id) {
        return events.stream().filter(e -> e.id().equals(id)).toList();
    }

    protected final void awaitEvents(ContainerId id, ContainerEvent.Kind... expected) {
        await().atMost(EVENT_WAIT).untilAsserted(() ->
                assertThat(eventsOf(id)).extracting(ContainerEvent::kind).containsExactly(expected));
    }

    private static ContainerId unknownId() {
        return ContainerId.of("0000" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "0".repeat(44));
    }

    private static String logsOf(ContainerEngine engine, ContainerId id, LogOptions options, LogSink.Stream stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.logs(id, options, (s, bytes) -> {
            if (s == stream) {
                out.write(bytes, 0, bytes.length);
            }
        });
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- engine ----------------------------------------------------------------------------------------------

    @Test
    void info_answersWithVersionAndResources() {
        EngineInfo info = engine().info();

        assertThat(info.version()).isNotBlank();
        assertThat(info.apiVersion()).isNotBlank();
        assertThat(info.cpus()).isPositive();
        assertThat(info.memoryBytes()).isPositive();
    }

    // ---- create / inspect ------------------------------------------------------------------------------------

    @Test
    void create_thenInspect_returnsExactlyTheSpecCreated() {
        ContainerSpec spec = ContainerSpec.builder(image())
                .name(name("full"))
                .entrypoint(List.of("sh", "-c"))
                .cmd(List.of("echo hello; exit 0"))
                .env(List.of(EnvVar.of("GREETING", "hello world"), EnvVar.of("EMPTY", ""),
                        EnvVar.parse("PASSED_THROUGH")))
                .hostname("edge-host")
                .domainname("example.org")
                .mounts(List.of(Mount.parse("/tmp:/host-tmp:ro,private"), Mount.parse("/var/tmp:/scratch")))
                .devices(List.of(DeviceMapping.parse("/dev/null:/dev/gantry-null:rw")))
                .ports(List.of(PortMapping.parse("127.0.0.1:18080:8080/tcp"), PortMapping.parse("18100:9090/udp"),
                        PortMapping.parse("7000")))
                .extraHosts(List.of(ExtraHost.parse("gateway:host_ip"), ExtraHost.parse("loopback:host_ip_lo"),
                        ExtraHost.parse("static:10.1.2.3")))
                .restartPolicy(RestartPolicy.onFailure(3, Duration.ofSeconds(30)))
                .log(LogConfig.DEFAULT.withRotation(3, Optional.of(ByteSize.parse("10m")))
                        .withMode(LogConfig.Mode.NON_BLOCKING, Optional.of(ByteSize.parse("2m"))))
                .resources(new Resources(Optional.of(ByteSize.parse("64m")), Optional.of(ByteSize.parse("32m")),
                        Optional.of(ByteSize.parse("128m")), false, Optional.of(new BigDecimal("0.5")),
                        Optional.of(new Gpus(1))))
                .runtime("runc")
                .labels(Map.of("app", "contract", "tier", "edge"))
                .tty(true)
                .openStdin(true)
                .build();

        ContainerId id = create(spec);

        Container container = inspect(id);
        assertThat(container.spec()).isEqualTo(spec);
        assertThat(container.name()).isEqualTo(spec.name().orElseThrow());
        assertThat(container.image()).isEqualTo(image());
        assertThat(container.managed()).isTrue();
        assertThat(container.gantryLabels()).isEqualTo(Map.of(Container.MANAGED_LABEL, "true", TEST_LABEL, run));
        assertThat(container.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(container.imageId()).isNotBlank();
        awaitEvents(id, ContainerEvent.Kind.CREATED);
    }

    @Test
    void create_hostPortRange_roundTrips() {
        ContainerSpec spec = idle("range").ports(List.of(PortMapping.parse("18100-18110:9090/udp"))).build();

        ContainerId id = create(spec);

        assertThat(inspect(id).spec()).isEqualTo(spec);
    }

    @Test
    void create_minimalSpec_roundTripsWithDefaults() {
        ContainerSpec spec = ContainerSpec.builder(image()).name(name("minimal")).build();

        ContainerId id = create(spec);

        assertThat(inspect(id).spec()).isEqualTo(spec);
    }

    @Test
    void create_withoutName_isNamedByTheEngine() {
        ContainerId id = create(ContainerSpec.builder(image()).cmd(idleCommand()).build());

        Container container = inspect(id);
        assertThat(container.name().value()).isNotBlank();
        assertThat(container.spec().name()).contains(container.name());
    }

    @Test
    void create_nameInUse_failsWithConflict() {
        ContainerSpec spec = idle("taken").build();
        create(spec);

        assertThatThrownBy(() -> create(spec)).isInstanceOf(ContainerConflictException.class)
                .hasMessageContaining(spec.name().orElseThrow().value());
    }

    @Test
    void create_imageMissing_failsWithNotFound() {
        ContainerSpec spec = ContainerSpec.builder(missingImage()).name(name("noimage")).build();

        assertThatThrownBy(() -> create(spec)).isInstanceOfSatisfying(ImagePullException.class,
                e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.NOT_FOUND));
    }

    @Test
    void create_labelOutsideGantrysPrefix_isRejected() {
        ContainerSpec spec = idle("badlabel").build();

        assertThatThrownBy(() -> engine().create(spec, Map.of("com.example.owner", "me")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void create_invalidSpec_isRejectedBeforeTheEngineIsAsked() {
        ContainerSpec invalid = idle("invalid").privileged(true)
                .addDevice(DeviceMapping.parse("/dev/null")).buildAsReported();

        assertThatThrownBy(() -> engine().create(invalid, Map.of(TEST_LABEL, run)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("privileged");
    }

    // ---- list / find -----------------------------------------------------------------------------------------

    @Test
    void list_showsManagedAndHandMadeContainers() {
        ContainerId managed = create(idle("managed").build());
        ContainerName handMadeName = name("handmade");
        ContainerId handMade = unmanaged(handMadeName);

        List<Container> all = engine().list();

        assertThat(all).filteredOn(c -> c.id().equals(managed)).singleElement()
                .satisfies(c -> assertThat(c.managed()).isTrue());
        assertThat(all).filteredOn(c -> c.id().equals(handMade)).singleElement().satisfies(c -> {
            assertThat(c.managed()).isFalse();
            assertThat(c.name()).isEqualTo(handMadeName);
            assertThat(c.spec().name()).contains(handMadeName);
            assertThat(c.image()).isEqualTo(image());
            assertThat(c.gantryLabels()).doesNotContainKey(Container.MANAGED_LABEL);
        });
    }

    @Test
    void find_acceptsNameFullIdAndUniqueIdPrefix() {
        ContainerSpec spec = idle("findme").build();
        ContainerId id = create(spec);
        String name = spec.name().orElseThrow().value();

        assertThat(engine().find(name)).map(Container::id).contains(id);
        assertThat(engine().find("/" + name)).map(Container::id).contains(id);
        assertThat(engine().find(id.value())).map(Container::id).contains(id);
        assertThat(engine().find(id.value().substring(0, 16))).map(Container::id).contains(id);
        assertThat(engine().find(prefix() + "nobody")).isEmpty();
    }

    // ---- state transitions and their events ------------------------------------------------------------------

    @Test
    void startAndStop_changeStateAndEmitEventsInEngineOrder() {
        ContainerId id = create(idle("lifecycle").build());

        engine().start(id);
        assertThat(inspect(id).state()).satisfies(s -> {
            assertThat(s.status()).isEqualTo(ContainerStatus.RUNNING);
            assertThat(s.pid()).isPositive();
            assertThat(s.startedAt()).isPresent();
        });

        engine().stop(id, StopOptions.timeout(Duration.ofSeconds(10)));
        assertThat(inspect(id).state()).satisfies(s -> {
            assertThat(s.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(s.pid()).isZero();
            assertThat(s.finishedAt()).isPresent();
        });
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.KILLED,
                ContainerEvent.Kind.DIED, ContainerEvent.Kind.STOPPED);
        assertThat(eventsOf(id).get(2).attribute("signal")).contains("15");
    }

    @Test
    void startAndStop_areIdempotent() {
        ContainerId id = create(idle("idempotent").build());

        engine().start(id);
        engine().start(id);
        engine().stop(id, StopOptions.DEFAULT);
        engine().stop(id, StopOptions.DEFAULT);

        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.EXITED);
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.KILLED,
                ContainerEvent.Kind.DIED, ContainerEvent.Kind.STOPPED);
    }

    @Test
    void stop_createdContainer_isANoOp() {
        ContainerId id = create(idle("neverstarted").build());

        engine().stop(id, StopOptions.DEFAULT);

        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.CREATED);
    }

    @Test
    void stop_withSignal_sendsThatSignalInsteadOfTheStopSignal() {
        ContainerId id = create(idle("sigint").build());
        engine().start(id);

        engine().stop(id, new StopOptions(Optional.of(Duration.ofSeconds(10)), Optional.of("SIGINT")));

        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.EXITED);
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.KILLED,
                ContainerEvent.Kind.DIED);
        assertThat(eventsOf(id).get(2).attribute("signal")).contains("2");
    }

    @Test
    void pauseAndResume_changeStateIdempotently() {
        ContainerId id = create(idle("pause").build());
        engine().start(id);

        engine().pause(id);
        engine().pause(id);
        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.PAUSED);
        engine().resume(id);
        engine().resume(id);
        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.RUNNING);

        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.PAUSED,
                ContainerEvent.Kind.RESUMED);
    }

    @Test
    void pauseAndResume_ofAContainerNotRunning_conflict() {
        ContainerId id = create(idle("notrunning").build());

        assertThatThrownBy(() -> engine().pause(id)).isInstanceOf(ContainerConflictException.class);
        assertThatThrownBy(() -> engine().resume(id)).isInstanceOf(ContainerConflictException.class);
        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.CREATED);
    }

    @Test
    void start_ofAPausedContainer_conflicts() {
        ContainerId id = create(idle("startpaused").build());
        engine().start(id);
        engine().pause(id);

        assertThatThrownBy(() -> engine().start(id)).isInstanceOf(ContainerConflictException.class);
        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.PAUSED);
    }

    @Test
    void stop_ofAPausedContainer_resumesAndStopsIt() {
        ContainerId id = create(idle("stoppaused").build());
        engine().start(id);
        engine().pause(id);

        engine().stop(id, StopOptions.timeout(Duration.ofSeconds(10)));

        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.EXITED);
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.PAUSED,
                ContainerEvent.Kind.KILLED, ContainerEvent.Kind.RESUMED, ContainerEvent.Kind.DIED,
                ContainerEvent.Kind.STOPPED);
    }

    @Test
    void processExit_isReportedAsDiedWithItsExitCode() {
        ContainerId id = create(idle("crash").build());
        engine().start(id);

        exitProcess(id, 3);

        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.DIED);
        assertThat(eventsOf(id).get(2).attribute("exitCode")).contains("3");
        assertThat(inspect(id).state()).satisfies(s -> {
            assertThat(s.status()).isEqualTo(ContainerStatus.EXITED);
            assertThat(s.exitCode()).isEqualTo(3);
        });
    }

    // ---- rename / update -------------------------------------------------------------------------------------

    @Test
    void rename_changesNameAndSpecName() {
        ContainerSpec spec = idle("before").build();
        ContainerId id = create(spec);
        ContainerName newName = name("after");

        engine().rename(id, newName);

        Container container = inspect(id);
        assertThat(container.name()).isEqualTo(newName);
        assertThat(container.spec()).isEqualTo(spec.withName(newName));
        assertThat(engine().find(newName.value())).map(Container::id).contains(id);
        assertThat(engine().find(spec.name().orElseThrow().value())).isEmpty();
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.RENAMED);
        assertThat(eventsOf(id).get(1).attribute("name")).contains(newName.value());
    }

    @Test
    void rename_toItsOwnName_isANoOp() {
        ContainerSpec spec = idle("same").build();
        ContainerId id = create(spec);

        engine().rename(id, spec.name().orElseThrow());

        assertThat(inspect(id).name()).isEqualTo(spec.name().orElseThrow());
    }

    @Test
    void rename_toANameInUse_conflicts() {
        ContainerSpec first = idle("first").build();
        create(first);
        ContainerId second = create(idle("second").build());

        assertThatThrownBy(() -> engine().rename(second, first.name().orElseThrow()))
                .isInstanceOf(ContainerConflictException.class);
    }

    @Test
    void update_changesRestartPolicyAndResourcesInPlace() {
        ContainerSpec spec = idle("update").resources(Resources.memory(ByteSize.parse("64m"))
                .withCpus(Optional.of(new BigDecimal("0.5")))).build();
        ContainerId id = create(spec);
        engine().start(id);
        Resources bigger = new Resources(Optional.of(ByteSize.parse("96m")), Optional.of(ByteSize.parse("48m")),
                Optional.empty(), false, Optional.of(new BigDecimal("0.75")), Optional.empty());

        engine().update(id, new ContainerUpdate(Optional.of(RestartPolicy.parse("on-failure:2")),
                Optional.of(bigger)));

        ContainerSpec reported = inspect(id).spec();
        assertThat(reported.restartPolicy()).isEqualTo(RestartPolicy.onFailure(2, Duration.ZERO));
        assertThat(reported.resources()).isEqualTo(bigger);
        assertThat(reported.immutablePart()).isEqualTo(spec.immutablePart());
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.UPDATED);
    }

    @Test
    void update_backToTheCreatedSettings_reportsTheCreatedSpecAgain() {
        ContainerSpec spec = idle("updateback").restartPolicy(RestartPolicy.onFailure(3, Duration.ofSeconds(30)))
                .resources(Resources.memory(ByteSize.parse("64m"))).build();
        ContainerId id = create(spec);

        engine().update(id, new ContainerUpdate(Optional.of(RestartPolicy.ALWAYS),
                Optional.of(Resources.memory(ByteSize.parse("80m")))));
        engine().update(id, ContainerUpdate.to(spec));

        assertThat(inspect(id).spec()).isEqualTo(spec);
    }

    @Test
    void update_removingALimit_conflictsBecauseDockerCannotDoItInPlace() {
        ContainerId id = create(idle("unlimit").resources(Resources.memory(ByteSize.parse("64m"))).build());

        assertThatThrownBy(() -> engine().update(id, new ContainerUpdate(Optional.empty(),
                Optional.of(Resources.NONE)))).isInstanceOf(ContainerConflictException.class)
                .hasMessageContaining("memory limit");
        assertThat(inspect(id).spec().resources().memory()).contains(ByteSize.parse("64m"));
    }

    // ---- remove ----------------------------------------------------------------------------------------------

    @Test
    void remove_runningWithoutForce_conflictsAndKeepsIt() {
        ContainerId id = create(idle("keep").build());
        engine().start(id);

        assertThatThrownBy(() -> engine().remove(id, false)).isInstanceOf(ContainerConflictException.class);
        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void remove_runningWithForce_killsAndRemovesIt() {
        ContainerId id = create(idle("force").build());
        engine().start(id);

        engine().remove(id, true);

        assertThat(engine().inspect(id)).isEmpty();
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.KILLED,
                ContainerEvent.Kind.DIED, ContainerEvent.Kind.REMOVED);
        assertThat(eventsOf(id).get(2).attribute("signal")).contains("9");
    }

    @Test
    void remove_stopped_removesIt() {
        ContainerId id = create(idle("stopped").build());

        engine().remove(id, false);

        assertThat(engine().inspect(id)).isEmpty();
        assertThat(engine().list()).extracting(Container::id).doesNotContain(id);
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.REMOVED);
    }

    // ---- unknown containers ----------------------------------------------------------------------------------

    @Test
    void unknownContainer_isEmptyOnLookupAndNotFoundOnEveryOperation() {
        ContainerId unknown = unknownId();
        ContainerEngine engine = engine();

        assertThat(engine.inspect(unknown)).isEmpty();
        assertThat(engine.find(unknown.value())).isEmpty();
        List<Consumer<ContainerId>> operations = List.of(
                engine::start,
                id -> engine.stop(id, StopOptions.DEFAULT),
                id -> engine.stop(id, new StopOptions(Optional.empty(), Optional.of("SIGINT"))),
                engine::pause,
                engine::resume,
                id -> engine.rename(id, name("ghost")),
                id -> engine.update(id, new ContainerUpdate(Optional.of(RestartPolicy.ALWAYS), Optional.empty())),
                id -> engine.remove(id, true),
                id -> engine.logs(id, LogOptions.ALL, (s, b) -> { }),
                engine::stats);
        for (Consumer<ContainerId> operation : operations) {
            assertThatThrownBy(() -> operation.accept(unknown)).isInstanceOfSatisfying(
                    ContainerNotFoundException.class, e -> assertThat(e.reference()).isEqualTo(unknown.value()));
        }
    }

    // ---- logs and stats --------------------------------------------------------------------------------------

    @Test
    void logs_separateStdoutFromStderr() {
        ContainerId id = create(idle("logs").build());
        engine().start(id);

        print(id, "to stdout", "to stderr");

        await().atMost(EVENT_WAIT).untilAsserted(() -> {
            assertThat(logsOf(engine(), id, LogOptions.ALL, LogSink.Stream.STDOUT)).isEqualTo("to stdout\n");
            assertThat(logsOf(engine(), id, LogOptions.ALL, LogSink.Stream.STDERR)).isEqualTo("to stderr\n");
        });
    }

    @Test
    void logs_tail_returnsOnlyTheLastLines() {
        ContainerId id = create(idle("tail").build());
        engine().start(id);
        for (int i = 1; i <= 3; i++) {
            print(id, "line " + i, "error " + i);
        }
        await().atMost(EVENT_WAIT).until(() -> logsOf(engine(), id, LogOptions.ALL, LogSink.Stream.STDOUT)
                .lines().count() == 3 && logsOf(engine(), id, LogOptions.ALL, LogSink.Stream.STDERR).lines().count() == 3);

        LogOptions lastTwo = new LogOptions(false, OptionalInt.of(2), false);

        assertThat(logsOf(engine(), id, lastTwo, LogSink.Stream.STDOUT)).isEqualTo("line 3\n");
        assertThat(logsOf(engine(), id, lastTwo, LogSink.Stream.STDERR)).isEqualTo("error 3\n");
    }

    @Test
    void stats_ofARunningContainer_reportMemoryAgainstItsLimit() {
        ContainerId id = create(idle("stats").resources(Resources.memory(ByteSize.parse("64m"))).build());
        engine().start(id);

        ContainerStats stats = engine().stats(id);

        assertThat(stats.id()).isEqualTo(id);
        assertThat(stats.memoryLimit()).isEqualTo(ByteSize.parse("64m").bytes());
        assertThat(stats.memoryUsed()).isPositive().isLessThan(stats.memoryLimit());
        assertThat(stats.onlineCpus()).isPositive();
        assertThat(stats.systemCpuNanos()).isPositive();
        assertThat(stats.pids()).isPositive();
    }

    // ---- images ----------------------------------------------------------------------------------------------

    @Test
    void imagePresent_tellsLocalImagesFromMissingOnes() {
        assertThat(engine().imagePresent(image())).isTrue();
        assertThat(engine().imagePresent(missingImage())).isFalse();
    }

    @Test
    void pull_ofAMissingImage_failsWithNotFound() {
        List<PullEvent> progress = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> engine().pull(missingImage(), progress::add)).isInstanceOfSatisfying(
                ImagePullException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ImagePullException.Reason.NOT_FOUND);
                    assertThat(e.getMessage()).contains(missingImage().repository()).doesNotContain("\n");
                });
        assertThat(engine().imagePresent(missingImage())).isFalse();
    }

    @Test
    void ensureImage_ofAPresentImage_doesNotPull() {
        List<PullEvent> progress = new CopyOnWriteArrayList<>();

        engine().ensureImage(image(), progress::add);

        assertThat(progress).isEmpty();
    }

}

package io.gantry.app;

import io.gantry.app.cli.AgentSocket;
import io.gantry.app.cli.CliServer;
import io.gantry.app.cli.GantryVersion;
import io.gantry.app.dashboard.Dashboard;
import io.gantry.app.registry.SavedCredentials;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.logging.ConsoleLogging;
import io.gantry.app.mqtt.HiveMqTransport;
import io.gantry.app.refusals.CliRefusals;
import io.gantry.app.refusals.RefusalSpool;
import io.gantry.app.status.StatusFile;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigChange;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigWatcher;
import io.gantry.config.ConfigWriter;
import io.gantry.config.MetricsConfig;
import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineInfo;
import io.gantry.core.image.DiskFigures;
import io.gantry.core.image.ImageStore;
import io.gantry.core.policy.Admission;
import io.gantry.core.policy.AdmittingEngine;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.policy.RecentRefusals;
import io.gantry.core.policy.Refusal;
import io.gantry.core.policy.ContainerRefusedException;
import io.gantry.core.policy.ImageVerification;
import io.gantry.core.signature.VerifiedDigests;
import io.gantry.app.registry.OrasImageRegistry;
import io.gantry.core.policy.UnmanagedGuard;
import io.gantry.core.provided.ProvidedCleanup;
import io.gantry.core.provided.ProvidingEngine;
import io.gantry.core.time.SystemTimeSync;
import io.gantry.core.time.TimeSyncWatch;
import io.gantry.core.transport.MessageTransport;
import io.gantry.ditto.DittoTwin;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.ditto.metrics.MetricsData;
import io.gantry.ditto.metrics.MetricsOperations;
import io.gantry.metrics.agent.AgentMetrics;
import io.gantry.metrics.agent.CountingTransport;
import io.gantry.metrics.own.OwnMetricsCollector;
import io.gantry.metrics.prometheus.Families;
import io.gantry.metrics.prometheus.MetricFamily;
import io.gantry.metrics.prometheus.PrometheusEndpoint;
import io.gantry.metrics.report.MetricsReporter;
import io.gantry.metrics.report.SnapshotSink;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.metrics.sampling.HostPaths;
import io.gantry.update.OperationRunner;
import io.gantry.update.UpdateAgent;
import io.gantry.update.deployment.DescriptorDeployment;
import io.gantry.update.images.ImageHousekeeping;
import io.gantry.update.protocol.FeedbackStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent and its composition root: builds every component from the configuration, starts them in order,
 * applies live edits of the configuration file, and stops everything in reverse order.
 *
 * <p>Start order: Gantry's own figures, MQTT transport (it connects in the background from here on, and sends each
 * subscription of the twin and the update agent as they register it; the components get it wrapped in a
 * {@link CountingTransport}), engine adapter, twin with the metrics reporter plugged into its {@code Metrics} feature,
 * the Prometheus endpoint when enabled, update agent, descriptor-file deployment, then the configuration file watcher.
 * Nothing here waits for the broker, nor for an engine that is down (its connection is refused at once): each
 * component retries on its own and resynchronises when its peer comes back. An engine that accepts connections but
 * does not answer holds the start for up to {@code engine.api_timeout} per call (the event stream's first attempt,
 * the engine's description), so that no event is missed between the first read and the subscription.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final int COMMAND_THREADS = 4;

    /** The configuration in force, after {@link #overrides} (e.g. the embedded broker's URL). */
    private final AtomicReference<AgentConfig> config;
    private final UnaryOperator<AgentConfig> overrides;
    private final Optional<Path> configFile;
    private final Clock clock;
    private final UnaryOperator<ContainerEngine> engineDecorator;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ImageHousekeeping housekeeping;
    private ImageStore images;
    private final AgentMetrics agentMetrics;

    private ContainerEngine engine;
    private HiveMqTransport transport;
    /** What the components publish and subscribe through: {@link #transport}, counted into {@link #agentMetrics}. */
    private CountingTransport countedTransport;
    private DittoTwin twin;
    private MetricsReporter reporter;
    /** Replaced when {@code metrics.prometheus} changes; guarded by its own lock (close() holds {@code this}). */
    private final Object prometheusLock = new Object();
    private PrometheusEndpoint prometheus;
    /** Runs while the endpoint does (and {@code metrics.own.enable}); guarded by {@link #prometheusLock}. */
    private OwnMetricsCollector ownMetrics;
    private UpdateAgent updateAgent;
    private DescriptorDeployment deployment;
    private SavedCredentials savedCredentials;
    /** The one engine room of both fronts, the update agent and the descriptor deployment. */
    private OperationRunner runner;
    private UnmanagedGuard guard;
    private Dashboard dashboard;
    /** The one record of recent refusals of the policy and trust rules: the twin and the dashboard show it. */
    private final RecentRefusals refusals = new RecentRefusals();
    /** The "time good" status (docs/operations.md), read by pulls, the twin and the dashboard. */
    private TimeSyncWatch timeSync;

    private Agent(AgentConfig fileConfig, Optional<Path> configFile, UnaryOperator<AgentConfig> overrides,
                  Clock clock, UnaryOperator<ContainerEngine> engineDecorator) {
        this.overrides = overrides;
        this.engineDecorator = engineDecorator;
        this.config = new AtomicReference<>(overrides.apply(fileConfig));
        this.configFile = configFile;
        this.clock = clock;
        this.agentMetrics = new AgentMetrics(clock);
    }

    /**
     * Starts an agent.
     *
     * @param fileConfig the configuration as read from {@code configFile}
     * @param configFile the file to watch for live edits; empty when running on defaults
     * @param overrides  applied to every configuration read from the file (command-line choices that win)
     */
    public static Agent start(AgentConfig fileConfig, Optional<Path> configFile, UnaryOperator<AgentConfig> overrides,
                              Clock clock) {
        return start(fileConfig, configFile, overrides, clock, UnaryOperator.identity());
    }

    /**
     * Starts an agent whose components see the Docker adapter through {@code engineDecorator} (end-to-end tests
     * label every container the agent creates, so that they can remove exactly those).
     */
    public static Agent start(AgentConfig fileConfig, Optional<Path> configFile, UnaryOperator<AgentConfig> overrides,
                              Clock clock, UnaryOperator<ContainerEngine> engineDecorator) {
        Agent agent = new Agent(fileConfig, configFile, overrides, clock, engineDecorator);
        try {
            agent.startComponents(fileConfig);
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private void startComponents(AgentConfig fileConfig) {
        AgentConfig c = config.get();
        LOG.info("Gantry {} starting with configuration {}", GantryVersion.version(),
                configFile.map(Path::toString).orElse("defaults (no configuration file)"));
        LOG.info("Configuration in force: {}", ConfigWriter.redacted(c).replaceAll("\\s+", " "));
        createStateDir(c.stateDir());
        savedCredentials = SavedCredentials.load(c.stateDir());

        // The broker connection is made in the background while the rest starts (docs/benchmarks.md, "Start"): the
        // transport sends each subscription as it is registered, and the components publish when they hear it is up.
        transport = new HiveMqTransport(c.connection());
        started.push(transport::stop);
        countedTransport = new CountingTransport(transport, agentMetrics);
        started.push(countedTransport::stopCounting);
        // gantry doctor reads this to report the live connection and twin (docs/cli.md, "gantry doctor").
        StatusFile status = new StatusFile(c.stateDir(), clock);
        started.push(status::close);
        transport.addConnectionListener(new MessageTransport.ConnectionListener() {
            @Override
            public void onConnected() {
                status.connected(true);
            }

            @Override
            public void onDisconnected(String reason) {
                status.connected(false);
            }
        });
        transport.start();

        // The "time good" status (docs/operations.md): pulls that fail TLS name it, the twin publishes it.
        timeSync = new TimeSyncWatch(new SystemTimeSync(() -> statusFile(config.get())),
                () -> config.get().timeSync().checkInterval(), c.stateDir().resolve(ProvidingEngine.TIME_DIR)).start();
        started.push(timeSync);
        // Pulls use the registry credentials saved from the dashboard's form where the configuration gives none.
        DockerContainerEngine docker = new DockerContainerEngine(() -> savedCredentials.over(config.get()),
                timeSync::current);
        started.push(docker);
        // Every path that creates a container asks this engine first (docs/trust.md); the rules are read at each check.
        ContainerEngine decorated = engineDecorator.apply(docker);
        OrasImageRegistry registry = new OrasImageRegistry(() -> savedCredentials.over(config.get()));
        started.push(registry);
        ImageVerification verification = new ImageVerification(registry,
                new VerifiedDigests(c.stateDir(), clock), decorated::imageFacts);
        Admission admission = new Admission(() -> config.get().policy(), () -> config.get().trust(),
                decorated::imageFacts, verification, refused -> {
                    LOG.warn("Container {}", refused.getMessage());
                    agentMetrics.containersRefused(refused.ruleKey()).increment();
                    refusals.record(Refusal.of(clock.instant(),
                            CreationOrigin.current().orElse(CreationOrigin.UNKNOWN), refused));
                });
        // Gantry's own mounts (time status, metrics directory) are added below the check: they are Gantry's.
        engine = new AdmittingEngine(new ProvidingEngine(decorated, c.stateDir()), admission);
        images = docker.images();
        started.push(engine.subscribe(agentMetrics.engineListener()));
        describeEngine();
        // gantry ps and the other quick commands run here when the CLI finds this socket (docs/cli.md).
        CliServer.start(c.stateDir().resolve(AgentSocket.FILE_NAME), Main.engines(), clock).ifPresent(started::push);
        // Containers started by hand are held to the allowlist too (docs/trust.md, "Containers Gantry did not create").
        guard = new UnmanagedGuard(engine, admission, () -> config.get().trust(),
                action -> agentMetrics.unmanagedContainers(action).increment(), refusals::record, clock);
        started.push(guard);
        guard.start();
        started.push(new ProvidedCleanup(engine, c.stateDir(), clock).start());

        ExecutorService twinLoop = Threads.single("gantry-twin");
        ExecutorService commandPool = Threads.pool("gantry-commands", COMMAND_THREADS);
        started.push(() -> Threads.shutdown(commandPool, 5));
        started.push(() -> Threads.shutdown(twinLoop, 5));
        twin = new DittoTwin(c, engine, countedTransport, c.stateDir(), twinLoop, new KeyedExecutor(commandPool));
        twin.onRepublished(agentMetrics.twinResyncs()::increment);
        twin.onPublished(status::published);
        timeSync.onChange(twin::timeSync);
        refusals.onChange(changed -> twin.refusals(refusals::recent));
        twin.refusals(refusals::recent);
        // gantry create checks in its own process and leaves its refusals here (docs/trust.md, "Recent refusals").
        started.push(CliRefusals.start(new RefusalSpool(c.stateDir()), refused -> {
            LOG.warn("Container {} (gantry create)", refused.message());
            agentMetrics.containersRefused(ContainerRefusedException.ruleKey(refused.rule())).increment();
            refusals.record(refused);
        }));
        reporter = startReporter(c, new MetricsData(twin.liveMessages()));
        started.push(reporter);
        twin.plug(FeatureIds.METRICS, new MetricsOperations(reporter::request));
        twin.start();
        started.push(twin::stop);

        servePrometheus(c.metrics().prometheus());
        started.push(() -> servePrometheus(new MetricsConfig.PrometheusConfig(false, "")));

        // Disk housekeeping after each successful update (docs/update-agent.md, "Disk housekeeping").
        housekeeping = new ImageHousekeeping(engine, images, () -> new ImageHousekeeping.Settings(
                config.get().engine().imageExpiryDisable(), config.get().engine().imageKeepPrevious()),
                c.stateDir());
        started.push(housekeeping);
        housekeeping.recordCurrent();
        runner = new OperationRunner(engine, c.stateDir(), () -> config.get().updateAgent());
        started.push(runner::stop);
        if (c.updateAgent().enable()) {
            startUpdateAgent(c);
        } else {
            LOG.info("The update agent is disabled (update_agent.enable = false)");
        }

        // Built even when disabled: it follows deployment.enable itself, also when that changes live.
        deployment = new DescriptorDeployment(c.deployment(), engine, clock, c.stateDir(), runner);
        deployment.start();
        started.push(deployment::stop);
        // After both fronts are there: the first task on the update thread ends what the journal holds.
        runner.start();

        if (c.dashboard().enable()) {
            serveDashboard(c, status);
        }

        configFile.ifPresent(file -> {
            ConfigWatcher watcher = ConfigWatcher.start(file, fileConfig, new ConfigWatcher.Listener() {
                @Override
                public void changed(ConfigChange change) {
                    apply(change);
                }

                @Override
                public void rejected(ConfigException problems) {
                    // The watcher has logged every problem once at ERROR; the running configuration stays.
                }
            });
            started.push(watcher);
        });
        LOG.info("Gantry started");
    }

    private static Optional<Path> statusFile(AgentConfig c) {
        return c.timeSync().statusFile().isEmpty() ? Optional.empty() : Optional.of(Path.of(c.timeSync().statusFile()));
    }

    private void startUpdateAgent(AgentConfig c) {
        updateAgent = new UpdateAgent(c.updateAgent(), engine, countedTransport, clock, runner);
        updateAgent.onFinished(status -> {
            agentMetrics.updateOperations(status.name()).increment();
            if (status == FeedbackStatus.COMPLETED) {
                housekeeping.afterSuccessfulUpdate();
            }
        });
        updateAgent.start();
    }

    /**
     * The metrics reporter: on a local engine it reads the kernel's files (under {@code GANTRY_HOST_CGROUP} and
     * {@code GANTRY_HOST_PROC} when Gantry runs in a container), falling back to the engine's statistics API per
     * container; a remote engine's containers are not on this host, so only its API is used (docs/metrics.md).
     */
    private MetricsReporter startReporter(AgentConfig c, SnapshotSink sink) {
        Duration minFrequency = c.metrics().minFrequency();
        if (c.engine().host().startsWith("unix://")) {
            return MetricsReporter.start(engine, HostPaths.fromEnvironment(System.getenv()), sink, minFrequency,
                    clock);
        }
        LOG.info("The engine {} is remote: container figures come from its statistics API", c.engine().host());
        return MetricsReporter.startEngineOnly(engine, sink, minFrequency, clock);
    }

    /**
     * Serves, stops or moves the Prometheus endpoint as {@code wanted} says. An address that cannot be bound is
     * reported and the agent runs on without the endpoint: the twin and the update agent matter more.
     */
    private void servePrometheus(MetricsConfig.PrometheusConfig wanted) {
        synchronized (prometheusLock) {
            if (prometheus != null) {
                prometheus.close();
                prometheus = null;
                LOG.info("Stopped serving Prometheus metrics");
            }
            if (ownMetrics != null) {
                ownMetrics.close();
                ownMetrics = null;
            }
            if (!wanted.enable()) {
                return;
            }
            try {
                // Containers' own metrics (docs/metrics.md): collected only while they can be served.
                OwnMetricsCollector own = config.get().metrics().own().enable()
                        ? new OwnMetricsCollector(this::runningContainers, this::ownMetricsSettings,
                        config.get().stateDir()).start() : null;
                ownMetrics = own;
                prometheus = PrometheusEndpoint.start(wanted.listen(), reporter, agentMetrics, () -> {
                    List<MetricFamily> more = new ArrayList<>();
                    try {
                        more.addAll(Families.disk(DiskFigures.read(images, engine)));
                    } catch (RuntimeException e) {
                        LOG.warn("No disk figures for this scrape: {}", e.toString());
                    }
                    if (own != null) {
                        more.addAll(own.families());
                    }
                    return more;
                });
            } catch (IOException | RuntimeException e) {
                LOG.error("Cannot serve Prometheus metrics at {}: {}", wanted.listen(), e.toString());
            }
        }
    }

    private List<Container> runningContainers() {
        return engine.list().stream().filter(c -> c.state().isRunning()).toList();
    }

    private OwnMetricsCollector.Settings ownMetricsSettings() {
        MetricsConfig.OwnConfig own = config.get().metrics().own();
        return new OwnMetricsCollector.Settings(own.interval(), own.maxSize().bytes(), own.timeout());
    }

    /**
     * Serves the dashboard (docs/dashboard.md). An address that cannot be bound is reported and the agent runs on
     * without it, as without the Prometheus endpoint.
     */
    private void serveDashboard(AgentConfig c, StatusFile status) {
        Optional<String> feedback = c.updateAgent().enable()
                ? Optional.of(io.gantry.update.protocol.UpdateTopics.of(c.updateAgent().domain()).feedback())
                : Optional.empty();
        try {
            dashboard = Dashboard.start(c.dashboard(), engine, reporter, countedTransport, feedback, status::current,
                    timeSync::current, config::get, new Dashboard.Descriptors(deployment::problem, savedCredentials),
                    clock, refusals);
            started.push(dashboard);
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot serve the dashboard at {}: {}", c.dashboard().listen(), e.getMessage());
        }
    }

    /** The dashboard's bound address, when it is served. */
    public Optional<java.net.InetSocketAddress> dashboardAddress() {
        return Optional.ofNullable(dashboard).map(Dashboard::address);
    }

    private void describeEngine() {
        try {
            EngineInfo info = engine.info();
            LOG.info("Container engine: Docker {} (API {}), {} {}, cgroup v{} ({})", info.version(),
                    info.apiVersion(), info.operatingSystem(), info.architecture(), info.cgroupVersion(),
                    info.cgroupDriver());
            agentMetrics.engineAvailable().set(true);
        } catch (EngineException e) {
            // Not fatal: the adapter reconnects and the twin resynchronises when the engine answers.
            LOG.warn("The container engine does not answer yet: {}", e.getMessage());
        }
    }

    private static void createStateDir(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state_dir " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /** Applies a valid edit of the configuration file; runs on the watcher's thread {@code gantry-config}. */
    private void apply(ConfigChange change) {
        AgentConfig previous = config.get();
        AgentConfig next = overrides.apply(change.current());
        config.set(next);
        if (change.changed("log.log_level")) {
            ConsoleLogging.setLevel(next.log().logLevel());
        }
        if (change.changed("connection") && !next.connection().equals(previous.connection())) {
            // A clean reconnect; the twin re-publishes itself whole when the connection is back.
            transport.reconfigure(next.connection());
        }
        if (change.changed("connection") || change.changed("things")) {
            twin.applyConfig(next);
        }
        if (change.changed("things") && !offersMetrics(next)) {
            // Kanto disposes the feature with its request; without the feature no data may go out (§4.1).
            reporter.request(MetricsRequest.STOP);
        }
        if (change.changed("metrics.min_frequency")) {
            reporter.minFrequency(next.metrics().minFrequency());
        }
        if (change.changed("metrics.prometheus")) {
            servePrometheus(next.metrics().prometheus());
        }
        if (change.changed("update_agent")) {
            applyUpdateAgent(previous, next);
        }
        if (change.changed("deployment")) {
            deployment.reconfigure(next.deployment());
        }
        if (change.changed("policy") || change.changed("trust")) {
            deployment.rulesChanged();
        }
        if (change.changed("trust")) {
            guard.rulesChanged();
        }
        if (change.requiresRestart()) {
            LOG.warn("Configuration change of {} takes effect at the next start of Gantry",
                    String.join(", ", change.needingRestart()));
        }
    }

    private void applyUpdateAgent(AgentConfig previous, AgentConfig next) {
        boolean was = previous.updateAgent().enable();
        boolean now = next.updateAgent().enable();
        if (was && !now) {
            updateAgent.stop();
            updateAgent = null;
            LOG.info("Update agent stopped (update_agent.enable = false)");
        } else if (!was && now) {
            startUpdateAgent(next);
        } else if (now) {
            updateAgent.reconfigure(next.updateAgent());
        }
    }

    private static boolean offersMetrics(AgentConfig c) {
        return c.things().enable() && c.things().features().contains(FeatureIds.METRICS);
    }

    /** The configuration in force. */
    public AgentConfig config() {
        return config.get();
    }

    /** Stops every component in reverse order of start. Containers keep running. */
    @Override
    public synchronized void close() {
        if (updateAgent != null) {
            updateAgent.stop();
            updateAgent = null;
        }
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", component, e.toString());
            }
        }
        LOG.info("Gantry stopped");
    }
}

package io.gantry.app.dashboard;

import io.gantry.core.policy.RecentRefusals;
import io.gantry.core.time.TimeSync;
import io.gantry.app.mqtt.TlsMaterial;
import io.gantry.app.registry.SavedCredentials;
import io.gantry.app.status.LiveStatus;
import io.gantry.config.AgentConfig;
import io.gantry.config.DashboardConfig;
import io.gantry.metrics.request.MetricsRequest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.transport.MessageTransport;
import io.gantry.core.container.Subscription;
import io.gantry.metrics.report.MetricsReporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in the browser (docs/dashboard.md): its live board of containers, its status view and its HTTP
 * server, started together from {@code dashboard.*} and stopped together. Served on the JDK's HTTP server, as the
 * Prometheus endpoint is, on an address of its own because only the dashboard needs a login and TLS.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final Board board;
    private final DashboardServer server;
    private final Subscription feedback;

    private Dashboard(Board board, DashboardServer server, Subscription feedback) {
        this.board = board;
        this.server = server;
        this.feedback = feedback;
    }

    /**
     * Starts the dashboard.
     *
     * @param feedbackTopic the update agent's feedback topic, read for the operations view; empty without one
     * @param descriptors what the container form needs besides the files
     * @throws IOException when the address cannot be bound
     * @throws IllegalArgumentException when the password hash or the TLS files cannot be used (naming the key)
     */
    public static Dashboard start(DashboardConfig config, ContainerEngine engine, MetricsReporter reporter,
                                  MessageTransport transport, Optional<String> feedbackTopic,
                                  Supplier<LiveStatus> twin, Supplier<TimeSync> timeSync,
                                  Supplier<AgentConfig> agentConfig,
                                  Descriptors descriptors, Clock clock)
            throws IOException {
        return start(config, engine, reporter, transport, feedbackTopic, twin, timeSync, agentConfig, descriptors, clock,
                new RecentRefusals());
    }

    /** As above, with the agent's recent refusals shown on the status (and pushed when they change). */
    public static Dashboard start(DashboardConfig config, ContainerEngine engine, MetricsReporter reporter,
                                  MessageTransport transport, Optional<String> feedbackTopic,
                                  Supplier<LiveStatus> twin, Supplier<TimeSync> timeSync,
                                  Supplier<AgentConfig> agentConfig, Descriptors descriptors, Clock clock,
                                  RecentRefusals refusals)
            throws IOException {
        PasswordHash password;
        try {
            password = PasswordHash.parse(config.passwordHash().value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dashboard.password_hash: " + e.getMessage(), e);
        }
        Optional<SSLContext> tls = config.tls() ? Optional.of(sslContext(config)) : Optional.empty();
        InetSocketAddress address = io.gantry.metrics.prometheus.PrometheusEndpoint.address(config.listen());
        StatusView.Sources sources = new StatusView.Sources(twin, timeSync, agentConfig, () -> activeRequest(reporter),
                new UpdateFeed(), refusals::recent);
        EventStreams streams = new EventStreams();
        StatusView status = new StatusView(sources);
        Board board = new Board(engine, reporter, config.actOnUnmanaged(), streams);
        Subscription feedback = () -> { };
        DashboardServer server;
        try {
            board.start();
            if (feedbackTopic.isPresent()) {
                feedback = transport.subscribe(feedbackTopic.get(), (topic, payload) -> {
                    if (sources.updates().accept(payload)) {
                        streams.broadcast("status", status.json().toString());
                    }
                });
            }
            Subscription feedbackOnly = feedback;
            Subscription refused = refusals.onChange(recent -> streams.broadcast("status", status.json().toString()));
            feedback = () -> {
                feedbackOnly.close();
                refused.close();
            };
            server = new DashboardServer(new DashboardServer.Settings(address, tls, password,
                    new Sessions(config.sessionTimeout(), clock), new LoginThrottle(clock), config.actOnUnmanaged()),
                    engine, streams, board, status, new StaticFiles(),
                    new DescriptorEditor(() -> agentConfig.get().deployment().directory(), descriptors));
        } catch (IOException | RuntimeException e) {
            feedback.close();
            board.close();
            throw e;
        }
        LOG.info("Serving the dashboard at {}://{}/", tls.isPresent() ? "https" : "http", config.listen());
        return new Dashboard(board, server, feedback);
    }

    /**
     * What the container form needs besides the descriptor directory: why the deployment did not deploy a file (by
     * file name; empty when it did), and where registry credentials entered in the form are kept.
     */
    public record Descriptors(Function<String, Optional<String>> deploymentProblem, SavedCredentials credentials) {
        public Descriptors {
            java.util.Objects.requireNonNull(deploymentProblem, "deploymentProblem");
            java.util.Objects.requireNonNull(credentials, "credentials");
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.address();
    }

    private static Optional<MetricsRequest> activeRequest(MetricsReporter reporter) {
        try {
            return reporter.activeRequest().get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static SSLContext sslContext(DashboardConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(TlsMaterial.keyManagers("dashboard.tls", Path.of(config.tlsCert()), Path.of(config.tlsKey()))
                    .getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("dashboard.tls_cert and tls_key cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.close();
        feedback.close();
        board.close();
        LOG.info("Stopped serving the dashboard");
    }
}

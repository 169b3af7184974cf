package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.config.AgentConfig;
import io.gantry.config.EngineConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.config.Secret;
import io.gantry.config.TlsConfig;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PullEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Pulls through the adapter from a local {@code docker-registry} with htpasswd authentication: the credentials come
 * from the agent configuration (and a reloaded configuration applies to the next pull), wrong ones fail at once with
 * a clear error, and a registry that never answers is given up after the stall timeout and retries.
 */
class RegistryPullIT {

    private static final String USER = "gantry";
    private static final String PASSWORD = "s3cret-" + Long.toHexString(ThreadLocalRandom.current().nextLong());

    private static Path directory;
    private static LocalRegistry registry;
    private static ImageRef pushed;
    private static DockerClient docker;

    private final AtomicReference<AgentConfig> config = new AtomicReference<>();
    private DockerContainerEngine engine;

    @BeforeAll
    static void startRegistryAndPushAnImage() throws Exception {
        TestImages.ensureBusybox(null);
        directory = Files.createTempDirectory("gantry-auth-registry");
        registry = LocalRegistry.start(directory, Optional.of(USER), Optional.of(PASSWORD));
        String repository = registry.address() + "/gantry-test/" + "pull-" + Long.toHexString(System.nanoTime());
        pushed = ImageRef.parse(repository + ":1");
        Processes.docker(null, "tag", TestImages.BUSYBOX, pushed.text());
        DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix:///var/run/docker.sock").build();
        docker = DockerClientImpl.getInstance(clientConfig, new ApacheDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost()).build());
        push(pushed, new AuthConfig().withRegistryAddress(registry.address()).withUsername(USER)
                .withPassword(PASSWORD));
        Processes.docker(null, "rmi", pushed.text());
    }

    /** Push errors arrive inside the progress stream, not as an HTTP status (reference/dependencies.md, pitfall 13). */
    private static void push(ImageRef image, AuthConfig auth) throws InterruptedException {
        List<String> errors = new CopyOnWriteArrayList<>();
        docker.pushImageCmd(image.name()).withTag(image.tag().orElseThrow()).withAuthConfig(auth)
                .exec(new ResultCallback.Adapter<PushResponseItem>() {
                    @Override
                    public void onNext(PushResponseItem item) {
                        if (item.isErrorIndicated()) {
                            errors.add(String.valueOf(item.getErrorDetail()));
                        }
                    }
                }).awaitCompletion(60, TimeUnit.SECONDS);
        assertThat(errors).as("push errors").isEmpty();
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        Processes.attempt(Map.of(), "docker", "rmi", pushed.text());
        docker.close();
        registry.close();
        Processes.run("rm", "-rf", directory.toString());
    }

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
        Processes.attempt(Map.of(), "docker", "rmi", pushed.text());
    }

    private DockerContainerEngine engineWith(Optional<RegistryConfig.Credentials> credentials) {
        config.set(configWith(EngineConfig.DEFAULTS, credentials));
        engine = new DockerContainerEngine(config::get);
        return engine;
    }

    private static AgentConfig configWith(EngineConfig engineConfig, Optional<RegistryConfig.Credentials> credentials) {
        AgentConfig d = AgentConfig.DEFAULTS;
        Map<String, RegistryConfig> registries = credentials.map(c -> Map.of(registry.address(),
                new RegistryConfig(c, TlsConfig.NONE, false))).orElse(Map.of());
        return new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(), engineConfig,
                registries, d.deployment(), d.policy(), d.trust(), d.stateDir());
    }

    private static AgentConfig insecureRegistry(String host) {
        AgentConfig d = AgentConfig.DEFAULTS;
        EngineConfig noRetries = new EngineConfig(EngineConfig.DEFAULTS.host(), EngineConfig.DEFAULTS.defaultStopTimeout(),
                EngineConfig.DEFAULTS.connectTimeout(), EngineConfig.DEFAULTS.apiTimeout(), 0, Duration.ofSeconds(10));
        return new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(), noRetries,
                Map.of(host, new RegistryConfig(RegistryConfig.Credentials.NONE, TlsConfig.NONE, true)),
                d.deployment(), d.policy(), d.trust(), d.stateDir());
    }

    /** Collects what InsecureRegistries logs while {@code action} runs. */
    private static List<String> insecureWarnings(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(InsecureRegistries.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void pull_fromAnInsecureRegistryTheDaemonDoesNotTrust_warnsWithTheFix() {
        config.set(insecureRegistry("registry.invalid:5000"));
        engine = new DockerContainerEngine(config::get);
        ImageRef image = ImageRef.parse("registry.invalid:5000/edge/app:1");

        List<String> warnings = insecureWarnings(() -> assertThatThrownBy(() -> engine.pull(image, e -> { }))
                .isInstanceOf(ImagePullException.class));

        assertThat(warnings).containsExactly("Registry registry.invalid:5000 is configured insecure, but the Docker "
                + "daemon only trusts it over verified HTTPS: add \"registry.invalid:5000\" to \"insecure-registries\" "
                + "in /etc/docker/daemon.json and restart dockerd");
    }

    @Test
    void pull_fromAnInsecureLoopbackRegistry_doesNotWarnBecauseDockerTrustsLoopback() {
        config.set(insecureRegistry(registry.address()));
        engine = new DockerContainerEngine(config::get);

        List<String> warnings = insecureWarnings(() -> assertThatThrownBy(() -> engine.pull(pushed, e -> { }))
                .isInstanceOfSatisfying(ImagePullException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.UNAUTHORIZED)));

        assertThat(warnings).isEmpty();
    }

    private static RegistryConfig.Credentials credentials(String password) {
        return new RegistryConfig.Credentials(USER, Secret.of(password));
    }

    @Test
    void pull_withConfiguredCredentials_bringsTheImageAndReportsProgress() {
        DockerContainerEngine engine = engineWith(Optional.of(credentials(PASSWORD)));
        List<PullEvent> progress = new CopyOnWriteArrayList<>();
        assertThat(engine.imagePresent(pushed)).isFalse();

        engine.pull(pushed, progress::add);

        assertThat(engine.imagePresent(pushed)).isTrue();
        assertThat(progress).extracting(PullEvent::status).anySatisfy(s -> assertThat(s).startsWith("Status:"));
    }

    @Test
    void pull_withWrongPassword_failsAtOnceAsUnauthorized() {
        DockerContainerEngine engine = engineWith(Optional.of(credentials("wrong")));
        Instant start = Instant.now();

        assertThatThrownBy(() -> engine.pull(pushed, e -> { })).isInstanceOfSatisfying(ImagePullException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(ImagePullException.Reason.UNAUTHORIZED);
                    assertThat(e.getMessage()).startsWith("pull of " + pushed + " failed: ")
                            .contains("unauthorized").doesNotContain("\n").doesNotContain("wrong");
                });
        // Not retried: the retry back-off alone would take a second.
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(1));
        assertThat(engine.imagePresent(pushed)).isFalse();
    }

    @Test
    void pull_withoutCredentials_failsAsUnauthorized() {
        DockerContainerEngine engine = engineWith(Optional.empty());

        assertThatThrownBy(() -> engine.pull(pushed, e -> { })).isInstanceOfSatisfying(ImagePullException.class,
                e -> assertThat(e.reason()).isEqualTo(ImagePullException.Reason.UNAUTHORIZED));
    }

    @Test
    void pull_afterTheConfigurationIsReloaded_usesTheNewCredentials() {
        DockerContainerEngine engine = engineWith(Optional.of(credentials("wrong")));
        assertThatThrownBy(() -> engine.pull(pushed, e -> { })).isInstanceOf(ImagePullException.class);

        config.set(configWith(EngineConfig.DEFAULTS, Optional.of(credentials(PASSWORD))));
        engine.pull(pushed, e -> { });

        assertThat(engine.imagePresent(pushed)).isTrue();
    }

    @Test
    void pull_fromARegistryThatNeverAnswers_stallsAndIsRetriedThenFails() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        connections.incrementAndGet();
                        // Read and never answer; the socket stays open until the registry is closed.
                        Thread reader = new Thread(() -> drain(s), "silent-registry-connection");
                        reader.setDaemon(true);
                        reader.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-registry");
            acceptor.setDaemon(true);
            acceptor.start();
            EngineConfig stalling = new EngineConfig(EngineConfig.DEFAULTS.host(),
                    EngineConfig.DEFAULTS.defaultStopTimeout(), EngineConfig.DEFAULTS.connectTimeout(),
                    EngineConfig.DEFAULTS.apiTimeout(), 1, Duration.ofSeconds(2));
            config.set(configWith(stalling, Optional.empty()));
            engine = new DockerContainerEngine(config::get);
            ImageRef image = ImageRef.parse("127.0.0.1:" + silent.getLocalPort() + "/gantry-test/silent:1");
            Instant start = Instant.now();

            assertThatThrownBy(() -> engine.pull(image, e -> { })).isInstanceOfSatisfying(ImagePullException.class,
                    e -> {
                        assertThat(e.reason()).isEqualTo(ImagePullException.Reason.STALLED);
                        assertThat(e.getMessage()).contains("made no progress for 2s");
                    });

            // Two attempts of 2 s each with a 1 s back-off between them.
            assertThat(Duration.between(start, Instant.now())).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(20));
            assertThat(connections.get()).isGreaterThanOrEqualTo(2);
        }
    }

    private static void drain(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the test closed the registry
        }
    }
}

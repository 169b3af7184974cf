package io.gantry.app.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.LabellingEngine;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.config.AgentConfig;
import io.gantry.config.DeploymentConfig;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.ForwardingEngine;
import io.gantry.update.deployment.DescriptorDeployment;
import io.gantry.update.plan.Ownership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptor files deployed on the real Docker engine with the test image: add, change (replaced and updated in
 * place), remove, an invalid file, init mode, and a container Gantry did not create.
 *
 * <p>Other tests share the engine, so the deployment sees it through a view that shows only this run's containers
 * (label {@code io.gantry.test}), and everything this run created is removed after each test.
 */
class DescriptorDeploymentIT {

    private static final String RUN = "deploy-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private static final Map<String, String> TEST_LABEL = Map.of("io.gantry.test", RUN);
    private static final UpdateAgentConfig REPLACEMENT = new UpdateAgentConfig(true, UpdateAgentConfig.AUTO,
            "containers", List.of(), false, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private static DockerContainerEngine docker;
    private static ContainerEngine engine;

    @TempDir
    Path dir;
    @TempDir
    Path stateDir;
    private DescriptorDeployment deployment;

    @BeforeAll
    static void connect() {
        TestImages.ensureBusybox(null);
        docker = new DockerContainerEngine(() -> AgentConfig.DEFAULTS);
        engine = new RunView(new LabellingEngine(docker, TEST_LABEL));
    }

    @AfterAll
    static void disconnect() {
        docker.close();
    }

    @AfterEach
    void stopAndRemoveWhatThisRunCreated() {
        if (deployment != null) {
            deployment.stop();
        }
        String ids = Processes.docker(null, "ps", "-aq", "--filter", "label=io.gantry.test=" + RUN);
        if (!ids.isBlank()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            Processes.docker(null, args.toArray(String[]::new));
        }
    }

    /** The engine as this run sees it: only containers that carry this run's test label. */
    private static final class RunView extends ForwardingEngine {
        RunView(ContainerEngine engine) {
            super(engine);
        }

        private static boolean ours(Container c) {
            return RUN.equals(c.gantryLabels().get("io.gantry.test"));
        }

        @Override
        public List<Container> list() {
            return delegate().list().stream().filter(RunView::ours).toList();
        }

        @Override
        public Optional<Container> find(String nameOrId) {
            return delegate().find(nameOrId).filter(RunView::ours);
        }
    }

    private static ConditionFactory await() {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200));
    }

    private static String name(String suffix) {
        return "gantry-" + RUN + "-" + suffix;
    }

    private void start(String mode) {
        deployment = new DescriptorDeployment(new DeploymentConfig(true, mode, dir), engine, Clock.systemUTC(),
                stateDir, () -> REPLACEMENT);
        deployment.start();
    }

    private void write(String file, String json) throws IOException {
        Path temp = Files.writeString(dir.resolve("." + file + ".tmp"), json);
        Files.move(temp, dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A Kanto descriptor for the test image, whose default command waits until it is stopped. */
    private static String kanto(String container, String restartPolicy, String... env) {
        return "{\"container_name\": \"" + container + "\", \"image\": {\"name\": \"" + TestImages.BUSYBOX + "\"},"
                + " \"config\": {\"env\": [" + String.join(", ", List.of(env).stream().map(e -> "\"" + e + "\"")
                .toList()) + "]}, \"host_config\": {\"restart_policy\": {\"type\": \"" + restartPolicy + "\"}}}";
    }

    /** Deploys {@code web.json} (VERSION=1) and returns the running container's id. */
    private ContainerId startWithWeb(String web, String mode) throws IOException {
        write("web.json", kanto(web, "unless-stopped", "VERSION=1"));
        start(mode);
        return awaitRunning(web, "VERSION=1").id();
    }

    private static Optional<Container> container(String name) {
        return engine.find(name);
    }

    private static Container awaitRunning(String name, String env) {
        await().until(() -> container(name).filter(c -> c.status() == ContainerStatus.RUNNING
                && c.spec().env().stream().anyMatch(e -> e.toString().equals(env))).isPresent());
        return container(name).orElseThrow();
    }

    private static String inspect(ContainerId id, String template) {
        return Processes.docker(null, "inspect", "-f", template, id.value());
    }

    @Test
    void addChangeRemove_keepTheContainerInLineWithTheFile() throws Exception {
        String web = name("web");
        start("update");

        write("web.json", kanto(web, "unless-stopped", "VERSION=1"));
        ContainerId first = awaitRunning(web, "VERSION=1").id();
        assertThat(inspect(first, "{{index .Config.Labels \"io.gantry.descriptor\"}}")).isEqualTo("web.json");
        assertThat(inspect(first, "{{index .Config.Labels \"io.gantry.managed\"}}")).isEqualTo("true");

        write("web.json", kanto(web, "unless-stopped", "VERSION=2"));   // env differs: a new container
        ContainerId second = awaitRunning(web, "VERSION=2").id();
        assertThat(second).isNotEqualTo(first);
        await().until(() -> engine.inspect(first).isEmpty());
        assertThat(engine.list()).extracting(c -> c.name().value()).containsExactly(web);

        write("web.json", kanto(web, "always", "VERSION=2"));   // restart policy only: updated in place
        await().until(() -> inspect(second, "{{.HostConfig.RestartPolicy.Name}}").equals("always"));
        assertThat(container(web).map(Container::id)).contains(second);

        Files.delete(dir.resolve("web.json"));
        await().until(() -> container(web).isEmpty());
    }

    @Test
    void createWithConfigFile_isDeployed_andAFileWithoutANameIsNamedAfterIt() throws Exception {
        String api = name("api");
        write(api + ".json", "{\"imageRef\": \"" + TestImages.BUSYBOX + "\", \"config\": {\"env\": [\"FORM=cwc\"],"
                + " \"restartPolicy\": {\"type\": \"ON_FAILURE\", \"maxRetryCount\": 3}}}");
        start("update");

        Container c = awaitRunning(api, "FORM=cwc");
        assertThat(inspect(c.id(), "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"))
                .isEqualTo("on-failure 3");
        assertThat(c.gantryLabel(Ownership.DESCRIPTOR_LABEL)).contains(api + ".json");
    }

    @Test
    void invalidFile_leavesItsContainerRunningAsItWas() throws Exception {
        String web = name("web");
        ContainerId id = startWithWeb(web, "update");

        write("web.json", "{\"container_name\": \"" + web + "\", \"image\": {\"name\": 42}}");

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20)).until(() -> container(web)
                .filter(c -> c.id().equals(id) && c.status() == ContainerStatus.RUNNING).isPresent());
        write("web.json", kanto(web, "unless-stopped", "VERSION=3"));   // fixed: applied
        awaitRunning(web, "VERSION=3");
        await().until(() -> engine.inspect(id).isEmpty());
    }

    @Test
    void initMode_deploysAtTheFirstStartOnly() throws Exception {
        String web = name("web");
        ContainerId id = startWithWeb(web, "init");
        await().until(() -> Files.exists(stateDir.resolve("deployment/deployed")));

        deployment.stop();
        write("web.json", kanto(web, "unless-stopped", "VERSION=2"));
        write("db.json", kanto(name("db"), "unless-stopped", "VERSION=1"));
        start("init");

        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20)).until(() -> engine.list().size() == 1
                && container(web).map(Container::id).equals(Optional.of(id)));
    }

    @Test
    void containerGantryDidNotCreate_isNeverTouched() throws Exception {
        String web = name("web");
        String byHand = Processes.docker(null, "create", "--name", web, "--label", "io.gantry.test=" + RUN,
                TestImages.BUSYBOX);
        write("web.json", kanto(web, "unless-stopped", "VERSION=1"));
        write("db.json", kanto(name("db"), "unless-stopped", "VERSION=1"));
        start("update");

        awaitRunning(name("db"), "VERSION=1");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> inspect(ContainerId.of(byHand),
                "{{.State.Status}} {{.Config.Env}}").equals("created [PATH=/bin]")
                && container(web).map(Container::id).equals(Optional.of(ContainerId.of(byHand))));
    }
}

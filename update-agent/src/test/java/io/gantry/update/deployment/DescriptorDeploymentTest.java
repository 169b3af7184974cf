package io.gantry.update.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.gantry.config.DeploymentConfig;
import io.gantry.config.FileWatch;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.testing.LogCapture;
import io.gantry.update.plan.Ownership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptor deployment against the fake engine, with real files in a temporary directory: add, change, remove,
 * unusable files, both forms, init mode, restarts, ownership, failures and their rollback.
 */
class DescriptorDeploymentTest {

    private static final FileWatch.Timing FAST = new FileWatch.Timing(Duration.ofMillis(20), Duration.ofMillis(60),
            Duration.ofMillis(400), Duration.ofSeconds(1));
    private static final Duration QUIET = Duration.ofMillis(800);
    private static final UpdateAgentConfig REPLACEMENT = new UpdateAgentConfig(true, UpdateAgentConfig.AUTO,
            "containers", List.of(), false, Duration.ZERO, Duration.ofSeconds(2));

    @TempDir
    Path dir;
    @TempDir
    Path stateDir;

    private final FakeContainerEngine fake = new FakeContainerEngine(Clock.systemUTC());
    private final Set<String> engineThreads = ConcurrentHashMap.newKeySet();
    private DescriptorDeployment deployment;
    private LogCapture log;

    @BeforeEach
    void setUp() {
        fake.withImage("registry.local/web:1").withImage("registry.local/web:2").withImage("registry.local/db:1");
        fake.subscribe(new EngineListener() {
            @Override
            public void onEvent(ContainerEvent event) {
                engineThreads.add(Thread.currentThread().getName());   // the fake emits on the calling thread
            }
        });
        log = LogCapture.of("io.gantry.update.deployment");
    }

    @AfterEach
    void tearDown() {
        if (deployment != null) {
            deployment.stop();
        }
        log.close();
    }

    private static ConditionFactory await() {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10));
    }

    private DescriptorDeployment start(String mode) {
        return start(new DeploymentConfig(true, mode, dir));
    }

    private DescriptorDeployment start(DeploymentConfig config) {
        deployment = new DescriptorDeployment(config, fake, Clock.systemUTC(), stateDir, () -> REPLACEMENT, FAST, true);
        deployment.start();
        return deployment;
    }

    private void restart(String mode) {
        deployment.stop();
        start(mode);
    }

    /** Waits until the deployment has finished {@code count} passes over the files since it started. */
    private void awaitPasses(int count) {
        await().until(() -> deployment.passes() >= count);
    }

    private Path write(String file, String json) throws IOException {
        return Files.writeString(dir.resolve(file), json);
    }

    private static String kanto(String container, String image) {
        return "{\"container_name\": \"" + container + "\", \"image\": {\"name\": \"" + image + "\"}}";
    }

    private Optional<Container> container(String name) {
        return fake.find(name);
    }

    private Container awaitContainer(String name, String image, ContainerStatus status) {
        await().until(() -> container(name).filter(c -> c.image().equals(ImageRef.parse(image))
                && c.status() == status).isPresent());
        return container(name).orElseThrow();
    }

    private Container awaitRunning(String name, String image) {
        return awaitContainer(name, image, ContainerStatus.RUNNING);
    }

    /** Deploys {@code web.json} (web:1) in update mode and returns the running container's id. */
    private ContainerId startWithWeb() throws IOException {
        write("web.json", kanto("web", "registry.local/web:1"));
        start("update");
        return awaitRunning("web", "registry.local/web:1").id();
    }

    /** A container a desired state created: managed, without a descriptor label. */
    private ContainerId fromDesiredState(String name) {
        ContainerId id = fake.create(ContainerSpec.builder(ImageRef.parse("registry.local/db:1"))
                .name(new ContainerName(name)).build(), Map.of());
        fake.start(id);
        return id;
    }

    // ---- add, change, remove ---------------------------------------------------------------------------------

    @Test
    void kantoDescriptor_atStart_isCreatedAndStarted_labelledWithTheFile() throws Exception {
        write("web.json", kanto("web", "registry.local/web:1"));
        start("update");

        Container web = awaitRunning("web", "registry.local/web:1");
        assertThat(web.managed()).isTrue();
        assertThat(web.gantryLabel(Ownership.DESCRIPTOR_LABEL)).contains("web.json");
        await().until(() -> log.at(Level.INFO, "web.json: container web created and started").size() == 1);
    }

    @Test
    void filesWhoseContainersNameEachOther_areDeployedNamedFirst_andACycleIsReported_whileTheOthersDeploy()
            throws Exception {
        // a.json sorts first but names db by Kanto's host name; db must exist (and run) before a is created
        write("a.json", "{\"container_name\": \"a\", \"image\": {\"name\": \"registry.local/web:1\"},"
                + " \"host_config\": {\"extra_hosts\": [\"db:container_db-host\"]}}");
        write("db.json", kanto("db", "registry.local/db:1"));
        write("x.json", "{\"container_name\": \"x\", \"image\": {\"name\": \"registry.local/web:1\"},"
                + " \"host_config\": {\"extra_hosts\": [\"y:container_y\"]}}");
        write("y.json", "{\"container_name\": \"y\", \"image\": {\"name\": \"registry.local/web:1\"},"
                + " \"host_config\": {\"extra_hosts\": [\"x:container_x\"]}}");
        start("update");

        Container a = awaitRunning("a", "registry.local/web:1");
        Container db = awaitRunning("db", "registry.local/db:1");
        // the fake engine numbers its containers in creation order
        assertThat(db.id().value()).isLessThan(a.id().value());
        await().until(() -> log.at(Level.ERROR, "the extra hosts of containers x → y → x name each other in a cycle")
                .size() == 1);
    }

    @Test
    void fileWhoseContainerNamesItself_isCarriedOutAsItsOwnOperation_notAFailedPass() throws Exception {
        write("self.json", "{\"container_name\": \"self\", \"image\": {\"name\": \"registry.local/web:1\"},"
                + " \"host_config\": {\"extra_hosts\": [\"me:container_self\"]}}");
        start("update");

        // The fake engine does not resolve extra hosts; Docker fails that create, and the operation is rolled back.
        awaitRunning("self", "registry.local/web:1");
        await().until(() -> log.at(Level.ERROR, "containers self → self name each other in a cycle").size() == 1);
        assertThat(log.at(Level.WARN, "Deploying the descriptor files failed")).isEmpty();
    }

    @Test
    void createWithConfigFile_addedWhileRunning_isDeployed() throws Exception {
        start("update");
        awaitPasses(1);
        write("api.json", """
                {"imageRef": "registry.local/web:1", "name": "api",
                 "config": {"restartPolicy": {"type": "ALWAYS"}, "env": ["MODE=edge"]}}""");

        Container api = awaitRunning("api", "registry.local/web:1");
        assertThat(api.spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(api.spec().env()).extracting(Object::toString).containsExactly("MODE=edge");
    }

    @Test
    void createWithConfigFile_startFalse_isCreatedButNotStarted_andStaysSo() throws Exception {
        write("job.json", "{\"imageRef\": \"registry.local/db:1\", \"start\": false}");
        start("update");

        awaitContainer("job", "registry.local/db:1", ContainerStatus.CREATED);
        restart("update");
        awaitPasses(1);
        assertThat(container("job").orElseThrow().status()).isEqualTo(ContainerStatus.CREATED);
    }

    @Test
    void fileWithoutAName_isNamedAfterTheFile_andStaysTheSameContainerAcrossRestarts() throws Exception {
        write("cache.json", "{\"image\": {\"name\": \"registry.local/db:1\"}}");
        start("update");
        ContainerId first = awaitRunning("cache", "registry.local/db:1").id();

        restart("update");
        awaitPasses(1);
        assertThat(fake.list()).hasSize(1);
        assertThat(container("cache").orElseThrow().id()).isEqualTo(first);
    }

    @Test
    void changedImage_replacesTheContainer_safely() throws Exception {
        ContainerId old = startWithWeb();

        write("web.json", kanto("web", "registry.local/web:2"));

        Container replaced = awaitRunning("web", "registry.local/web:2");
        assertThat(replaced.id()).isNotEqualTo(old);
        await().until(() -> fake.inspect(old).isEmpty());
        assertThat(fake.operations()).map(op -> op.replaceAll("-[0-9a-f]{8}", "-<op>")).containsSubsequence(
                "create web.gantry-new-<op>", "stop web", "rename web web.gantry-old-<op>",
                "rename web.gantry-new-<op> web", "start web", "remove web.gantry-old-<op>");
        assertThat(fake.list()).hasSize(1);
    }

    @Test
    void changedRestartPolicy_updatesTheContainerInPlace() throws Exception {
        ContainerId id = startWithWeb();

        write("web.json", "{\"container_name\": \"web\", \"image\": {\"name\": \"registry.local/web:1\"},"
                + " \"host_config\": {\"restart_policy\": {\"type\": \"always\"}}}");

        await().until(() -> container("web").map(c -> c.spec().restartPolicy()).orElseThrow()
                .equals(RestartPolicy.ALWAYS));
        assertThat(container("web").orElseThrow().id()).isEqualTo(id);
        assertThat(fake.operations()).contains("update web").doesNotContain("remove web");
    }

    @Test
    void removedFile_removesTheContainerItDeployed_andNothingElse() throws Exception {
        write("web.json", kanto("web", "registry.local/web:1"));
        write("db.json", kanto("db", "registry.local/db:1"));
        ContainerId byHand = fake.addUnmanaged(ContainerSpec.builder(ImageRef.parse("registry.local/db:1"))
                .name(new ContainerName("byhand")).build());
        ContainerId updateAgents = fromDesiredState("ua");
        start("update");
        awaitRunning("web", "registry.local/web:1");
        ContainerId db = awaitRunning("db", "registry.local/db:1").id();

        Files.delete(dir.resolve("web.json"));

        await().until(() -> container("web").isEmpty());
        assertThat(container("db").map(Container::id)).contains(db);
        assertThat(fake.inspect(byHand)).isPresent();
        assertThat(fake.inspect(updateAgents)).isPresent();
        await().until(() -> log.at(Level.INFO, "web.json: container web removed").size() == 1);
    }

    @Test
    void enabledFalse_removesTheContainer_keepsTheFile_andEnabledAgainDeploysItAgain() throws Exception {
        ContainerId web = startWithWeb();

        write("web.json", "{\"container_name\": \"web\", \"image\": {\"name\": \"registry.local/web:1\"},"
                + " \"enabled\": false}");

        await().until(() -> container("web").isEmpty());
        assertThat(Files.exists(dir.resolve("web.json"))).isTrue();
        assertThat(fake.inspect(web)).isEmpty();
        await().until(() -> log.at(Level.INFO, "removing container web, because the file says \"enabled\": false")
                .size() == 1);
        assertThat(log.at(Level.WARN)).isEmpty();

        write("web.json", kanto("web", "registry.local/web:1"));
        awaitRunning("web", "registry.local/web:1");
    }

    @Test
    void changedContainerName_removesTheOldContainer_andCreatesTheNewOne() throws Exception {
        startWithWeb();

        write("web.json", kanto("frontend", "registry.local/web:1"));

        awaitRunning("frontend", "registry.local/web:1");
        await().until(() -> container("web").isEmpty());
    }

    // ---- editors -------------------------------------------------------------------------------------------

    @Test
    void saveByRename_isApplied() throws Exception {
        startWithWeb();

        Path temp = write(".web.json.tmp", kanto("web", "registry.local/web:2"));
        Files.move(temp, dir.resolve("web.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        awaitRunning("web", "registry.local/web:2");
        assertThat(log.at(Level.WARN)).isEmpty();
    }

    @Test
    void partialWrite_thenCompleted_isNotReported_andTheContainerWaitsForTheWholeFile() throws Exception {
        ContainerId id = startWithWeb();
        int before = deployment.passes();

        write("web.json", "{\"container_name\": \"web\", \"image\": {\"na");
        awaitPasses(before + 1);   // the half-written file has been seen
        assertThat(container("web").map(Container::id)).contains(id);
        write("web.json", kanto("web", "registry.local/web:2"));

        awaitRunning("web", "registry.local/web:2");
        await().during(QUIET).until(() -> log.at(Level.WARN).isEmpty());
    }

    @Test
    void fileDeletedAndWrittenAgain_asSomeEditorsSave_keepsItsContainer() throws Exception {
        ContainerId id = startWithWeb();

        Files.delete(dir.resolve("web.json"));
        // Long enough for the watch to see the file gone (debounce 60 ms), shorter than the settle time (400 ms).
        await().during(Duration.ofMillis(200)).until(() -> fake.inspect(id).isPresent());
        write("web.json", kanto("web", "registry.local/web:1"));

        await().during(QUIET).until(() -> fake.inspect(id).map(Container::status).orElse(null)
                == ContainerStatus.RUNNING);
        assertThat(fake.operations()).doesNotContain("remove web", "stop web");
    }

    @Test
    void renamedFile_replacesTheContainer_soThatItsLabelNamesTheNewFile_withoutAWarning() throws Exception {
        write("old.json", kanto("web", "registry.local/web:1"));
        start("update");
        ContainerId first = awaitRunning("web", "registry.local/web:1").id();

        Files.move(dir.resolve("old.json"), dir.resolve("new.json"));

        await().until(() -> container("web").flatMap(c -> c.gantryLabel(Ownership.DESCRIPTOR_LABEL))
                .equals(Optional.of("new.json")));
        await().until(() -> fake.inspect(first).isEmpty());
        await().during(QUIET).until(() -> container("web").isPresent() && log.at(Level.WARN).isEmpty());
    }

    // ---- unusable files ------------------------------------------------------------------------------------

    @Test
    void invalidEdit_isReportedOnce_withPathAndProblem_andLeavesTheContainerAsItWas() throws Exception {
        ContainerId id = startWithWeb();
        List<String> before = fake.operations();

        String invalid = "{\"container_name\": \"web\", \"image\": {\"name\": \"registry.local/web:2\"},"
                + " \"host_config\": {\"port_mappings\": [{\"container_port\": \"eighty\"}]}}";
        write("web.json", invalid);

        await().until(() -> log.at(Level.WARN).size() == 1);
        assertThat(log.at(Level.WARN).get(0)).isEqualTo("Descriptor file " + dir.resolve("web.json")
                + " cannot be used, so its container is left as it is: host_config.port_mappings[0].container_port:"
                + " expected a whole number, got the string \"eighty\"");
        write("web.json", invalid + "\n");   // other bytes, same problem: said again
        await().until(() -> log.at(Level.WARN).size() == 2);
        Files.setLastModifiedTime(dir.resolve("web.json"), java.nio.file.attribute.FileTime.fromMillis(0));
        await().during(Duration.ofMillis(1500)).until(() -> log.at(Level.WARN).size() == 2);

        assertThat(fake.operations()).isEqualTo(before);
        assertThat(fake.inspect(id).map(Container::status)).contains(ContainerStatus.RUNNING);
        write("web.json", kanto("web", "registry.local/web:2"));
        awaitRunning("web", "registry.local/web:2");
    }

    @Test
    void invalidFileAtStart_isReported_andDeploysNothing_whileTheOtherFilesAreDeployed() throws Exception {
        write("broken.json", "{\"imageRef\": \"registry.local/web:1\", \"config\": {\"restartPolicy\": 3}}");
        write("db.json", kanto("db", "registry.local/db:1"));
        start("update");

        awaitRunning("db", "registry.local/db:1");
        await().until(() -> log.at(Level.WARN, "broken.json").size() == 1);
        assertThat(log.at(Level.WARN, "broken.json").get(0))
                .endsWith("config.restartPolicy: expected an object, got 3");
        assertThat(fake.list()).hasSize(1);
    }

    @Test
    void invalidFile_whoseContainerWasRemovedByHand_isNotRecreated_andRemovingTheFileChangesNothing()
            throws Exception {
        ContainerId id = startWithWeb();
        write("web.json", "not json");
        await().until(() -> log.at(Level.WARN, "web.json").size() == 1);

        Files.delete(dir.resolve("web.json"));

        await().until(() -> fake.inspect(id).isEmpty());   // once the file is gone, its container goes too
    }

    // ---- ownership -----------------------------------------------------------------------------------------

    @Test
    void containerGantryDidNotCreate_withTheFilesName_isNotTouched_andReportedOnce() throws Exception {
        ContainerId byHand = fake.addUnmanaged(ContainerSpec.builder(ImageRef.parse("registry.local/db:1"))
                .name(new ContainerName("web")).build());
        write("web.json", kanto("web", "registry.local/web:1"));
        start("update");

        await().until(() -> log.at(Level.WARN, "web.json: container web exists but was not created by Gantry")
                .size() == 1);
        write("other.json", kanto("other", "registry.local/db:1"));
        awaitRunning("other", "registry.local/db:1");
        assertThat(log.at(Level.WARN, "not created by Gantry")).hasSize(1);
        assertThat(fake.inspect(byHand).map(Container::image)).contains(ImageRef.parse("registry.local/db:1"));
        assertThat(fake.operations()).doesNotContain("remove web", "stop web", "rename web");
    }

    @Test
    void containerOfTheUpdateAgent_withTheFilesName_isNotTouched() throws Exception {
        ContainerId ua = fromDesiredState("web");
        write("web.json", kanto("web", "registry.local/web:1"));
        start("update");

        await().until(() -> log.at(Level.WARN, "container web was created by a desired state").size() == 1);
        assertThat(fake.inspect(ua).map(Container::image)).contains(ImageRef.parse("registry.local/db:1"));
    }

    // ---- modes, restarts, configuration ---------------------------------------------------------------------

    @Test
    void restartWithUnchangedFiles_changesNothing() throws Exception {
        write("web.json", kanto("web", "registry.local/web:1"));
        write("api.json", "{\"imageRef\": \"registry.local/db:1\"}");
        start("update");
        awaitRunning("web", "registry.local/web:1");
        awaitRunning("api", "registry.local/db:1");
        List<String> before = fake.operations();

        restart("update");
        awaitPasses(1);

        assertThat(fake.operations()).isEqualTo(before);
    }

    @Test
    void restart_startsAContainerThatWasStopped_asKantoDoes() throws Exception {
        ContainerId id = startWithWeb();
        fake.stop(id, io.gantry.core.container.StopOptions.DEFAULT);

        restart("update");

        await().until(() -> fake.inspect(id).map(Container::status).orElseThrow() == ContainerStatus.RUNNING);
    }

    @Test
    void initMode_deploysOnlyAtTheVeryFirstStart() throws Exception {
        write("web.json", kanto("web", "registry.local/web:1"));
        start("init");
        ContainerId id = awaitRunning("web", "registry.local/web:1").id();
        await().until(() -> Files.exists(stateDir.resolve("deployment").resolve("deployed")));

        write("web.json", kanto("web", "registry.local/web:2"));   // not applied in init mode, running or restarted
        write("db.json", kanto("db", "registry.local/db:1"));
        await().during(QUIET).until(() -> fake.list().size() == 1);
        List<String> before = fake.operations();
        restart("init");
        await().during(QUIET).until(() -> fake.operations().equals(before));

        assertThat(container("web").map(Container::id)).contains(id);
        assertThat(log.at(Level.INFO, "were deployed at the first start, so nothing is done now")).hasSize(1);
    }

    @Test
    void initMode_neverRemovesContainers() throws Exception {
        ContainerId old = fake.create(ContainerSpec.builder(ImageRef.parse("registry.local/db:1"))
                .name(new ContainerName("old")).build(), Map.of(Ownership.DESCRIPTOR_LABEL, "old.json"));
        write("web.json", kanto("web", "registry.local/web:1"));
        start("init");

        awaitRunning("web", "registry.local/web:1");
        assertThat(fake.inspect(old)).isPresent();
    }

    @Test
    void reconfigure_toAnotherDirectory_deploysItsFiles_andRemovesContainersOfFilesNotThere() throws Exception {
        write("web.json", kanto("web", "registry.local/web:1"));
        write("db.json", kanto("db", "registry.local/db:1"));
        start("update");
        ContainerId db = awaitRunning("db", "registry.local/db:1").id();
        awaitRunning("web", "registry.local/web:1");
        Path other = Files.createDirectory(stateDir.resolve("other"));
        Files.writeString(other.resolve("db.json"), kanto("db", "registry.local/db:1"));

        deployment.reconfigure(new DeploymentConfig(true, "update", other));

        await().until(() -> container("web").isEmpty());
        assertThat(container("db").map(Container::id)).contains(db);
    }

    @Test
    void reconfigure_disabled_leavesContainersAndIgnoresFileChanges() throws Exception {
        startWithWeb();

        deployment.reconfigure(new DeploymentConfig(false, "update", dir));
        Files.delete(dir.resolve("web.json"));
        write("db.json", kanto("db", "registry.local/db:1"));

        await().during(QUIET).until(() -> fake.list().size() == 1 && container("web").isPresent());
        deployment.reconfigure(new DeploymentConfig(true, "update", dir));
        awaitRunning("db", "registry.local/db:1");
        await().until(() -> container("web").isEmpty());
    }

    @Test
    void missingDirectory_changesNothing_andIsReported() throws Exception {
        ContainerId web = fake.create(ContainerSpec.builder(ImageRef.parse("registry.local/web:1"))
                .name(new ContainerName("web")).build(), Map.of(Ownership.DESCRIPTOR_LABEL, "web.json"));
        start(new DeploymentConfig(true, "update", dir.resolve("missing")));

        await().until(() -> log.at(Level.WARN, "does not exist or is not a directory").size() == 1);
        assertThat(fake.inspect(web)).isPresent();
    }

    // ---- failures ------------------------------------------------------------------------------------------

    @Test
    void failingPull_isRolledBack_reportedOnce_andRetried() throws Exception {
        fake.withRegistryImage("registry.local/new:1");
        fake.failNext(FakeContainerEngine.Op.PULL, new ImagePullException(ImagePullException.Reason.NETWORK,
                "registry.local: connection refused", null));
        write("new.json", kanto("new", "registry.local/new:1"));
        start("update");

        await().until(() -> log.at(Level.ERROR, "new.json: deploying container new failed").size() == 1);
        assertThat(log.at(Level.ERROR).get(0)).contains("registry.local: connection refused");
        awaitRunning("new", "registry.local/new:1");   // the retry, a poll period later
    }

    @Test
    void aFileThatFails_tellsWhyThroughProblem_untilItIsDeployed() throws Exception {
        write("broken.json", kanto("broken", "registry.local/nowhere:1"));
        start("update");

        await().until(() -> deployment.problem("broken.json").isPresent());
        assertThat(deployment.problem("broken.json").orElseThrow()).startsWith("deploying failed and was rolled back:");
        assertThat(deployment.problem("other.json")).isEmpty();

        write("broken.json", "{\"container_name\": \"broken\", \"image\": {\"name\": \"registry.local/nowhere:1\"},"
                + " \"enabled\": false}");
        await().until(() -> deployment.problem("broken.json").isEmpty());
    }

    @Test
    void aFileThatFails_doesNotHoldBackTheOthers() throws Exception {
        write("broken.json", kanto("broken", "registry.local/nowhere:1"));
        write("web.json", kanto("web", "registry.local/web:1"));
        start("update");

        awaitRunning("web", "registry.local/web:1");
        await().until(() -> log.at(Level.ERROR, "broken.json").size() == 1);
        assertThat(container("broken")).isEmpty();
    }

    @Test
    void replacementThatCrashes_isRolledBack_andTheOldContainerRunsOn() throws Exception {
        fake.exitingAtOnce("registry.local/web:2");
        ContainerId old = startWithWeb();

        write("web.json", kanto("web", "registry.local/web:2"));

        await().until(() -> log.at(Level.ERROR, "web.json: deploying container web failed").size() == 1);
        assertThat(log.at(Level.ERROR).get(0)).contains("exited with code 1 while settling");
        await().until(() -> fake.inspect(old).map(Container::status).orElseThrow() == ContainerStatus.RUNNING
                && container("web").map(Container::id).equals(Optional.of(old)));
        assertThat(fake.list()).hasSize(1);
    }

    @Test
    void engineWork_runsOnlyOnTheEngineRoomsThreads() throws Exception {
        startWithWeb();
        write("web.json", kanto("web", "registry.local/web:2"));
        awaitRunning("web", "registry.local/web:2");
        Files.delete(dir.resolve("web.json"));
        await().until(() -> fake.list().isEmpty());

        // the operation runner's update thread and its call pools, never the deployment's or the file watch's
        assertThat(engineThreads).isNotEmpty().allMatch(t -> t.equals("gantry-update")
                || t.startsWith("gantry-update-engine-") || t.startsWith("gantry-update-wait-"));
    }
}

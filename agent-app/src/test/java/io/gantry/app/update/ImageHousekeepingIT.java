package io.gantry.app.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.testing.LocalRegistry;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.config.AgentConfig;
import io.gantry.config.ByteSize;
import io.gantry.config.EngineConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.image.DiskSpace;
import io.gantry.core.image.StoredImage;
import io.gantry.update.images.ImageHousekeeping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Disk housekeeping and the free-space check for real: images pulled from a local registry over several updates of
 * one managed container on a private engine, a foreign image and one pulled by hand beside them; and a private engine
 * whose data root is a small tmpfs.
 */
class ImageHousekeepingIT {

    private static LocalRegistry registry;
    private static Path registryDir;
    private static String repository;

    @BeforeAll
    static void startRegistryWithThreeVersions() throws Exception {
        registryDir = Files.createTempDirectory("gantry-hk-registry");
        registry = LocalRegistry.start(registryDir, Optional.empty(), Optional.empty());
        repository = registry.address() + "/gantry-test/hk-" + Long.toHexString(System.nanoTime());
        try (PrivateEngine builder = PrivateEngine.start()) {
            for (String tag : List.of("1", "2", "3", "hand")) {
                builder.build(repository + ":" + tag, "LABEL gantry.test.version=" + tag);
                builder.docker("push", repository + ":" + tag);
            }
        }
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
    }

    private static AgentConfig config(PrivateEngine engine, Path stateDir, EngineConfig engineConfig) {
        AgentConfig d = AgentConfig.DEFAULTS;
        return new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(),
                engineConfig.withHost(engine.host()), d.registries(), d.deployment(), d.policy(), d.trust(), stateDir);
    }

    private static String imageId(PrivateEngine engine, String reference) {
        return engine.docker("image", "inspect", "--format", "{{.Id}}", reference);
    }

    @Test
    void updates_removeUnusedPulledImages_keepThePreviousOneAndForeignOnes() throws Exception {
        Path stateDir = Files.createTempDirectory("gantry-hk-state");
        try (PrivateEngine engine = PrivateEngine.start();
             DockerContainerEngine docker = new DockerContainerEngine(
                     () -> config(engine, stateDir, EngineConfig.DEFAULTS))) {
            engine.build("gantry-test/foreign:1", "LABEL gantry.test.foreign=1");
            engine.docker("pull", repository + ":hand");
            AtomicReference<ImageHousekeeping.Settings> settings =
                    new AtomicReference<>(new ImageHousekeeping.Settings(false, 1));
            ImageHousekeeping housekeeping = new ImageHousekeeping(docker, docker.images(), settings::get, stateDir);

            ContainerId app = null;
            ImageHousekeeping.Result last = null;
            Map<String, String> ids = new java.util.HashMap<>();
            for (String version : List.of("1", "2", "3")) {
                ImageRef image = ImageRef.parse(repository + ":" + version);
                docker.ensureImage(image, progress -> { });
                ids.put(version, imageId(engine, image.text()));
                if (app != null) {
                    docker.remove(app, true);
                }
                app = docker.create(ContainerSpec.builder(image).name(new ContainerName("hk-app")).build(),
                        Map.of());
                last = housekeeping.run();
                if (!version.equals("3")) {
                    assertThat(last.removed()).as("after version " + version).isEmpty();
                }
            }
            assertThat(last.removed()).containsExactly(ids.get("1"));
            assertThat(engine.attempt("image", "inspect", repository + ":1").exitCode()).isNotZero();
            assertThat(last.freedBytes()).isPositive();
            assertThat(imageId(engine, repository + ":2")).as("the rollback image stays").isNotBlank();
            assertThat(imageId(engine, repository + ":3")).isNotBlank();
            assertThat(imageId(engine, "gantry-test/foreign:1")).as("an image Gantry did not pull").isNotBlank();
            assertThat(imageId(engine, repository + ":hand")).as("pulled by hand").isNotBlank();

            settings.set(new ImageHousekeeping.Settings(true, 0));
            assertThat(housekeeping.run().removed()).as("image_expiry_disable").isEmpty();
            assertThat(imageId(engine, repository + ":2")).isNotBlank();

            settings.set(new ImageHousekeeping.Settings(false, 0));
            assertThat(housekeeping.run().removed()).as("image_keep_previous 0").containsExactly(ids.get("2"));
            List<StoredImage> images = docker.images().images();
            assertThat(images).noneMatch(i -> i.tags().contains(repository + ":2"));
            assertThat(images).anyMatch(i -> i.tags().contains(repository + ":3") && i.pulledByGantry());
            assertThat(images).anyMatch(i -> i.tags().contains(repository + ":hand") && !i.pulledByGantry());
            housekeeping.close();
        }
    }

    @Test
    void pull_onASmallDataRoot_failsAtOnceWithFreeAndNeededSpace() throws Exception {
        Path stateDir = Files.createTempDirectory("gantry-hk-state");
        AtomicReference<EngineConfig> engineConfig = new AtomicReference<>(EngineConfig.DEFAULTS);
        try (PrivateEngine engine = PrivateEngine.startOnTmpfs("48m");
             DockerContainerEngine docker = new DockerContainerEngine(
                     () -> config(engine, stateDir, engineConfig.get()))) {
            DiskSpace disk = docker.images().dataRoot().orElseThrow();
            assertThat(disk.totalBytes()).isLessThanOrEqualTo(48L * 1024 * 1024);
            ImageRef image = ImageRef.parse(repository + ":1");

            assertThatThrownBy(() -> docker.ensureImage(image, progress -> { }))
                    .isInstanceOfSatisfying(ImagePullException.class, e -> assertThat(e.reason())
                            .isEqualTo(ImagePullException.Reason.NO_SPACE))
                    .hasMessageContaining("cannot pull " + image)
                    .hasMessageMatching(".*: \\d+\\.\\d MiB free on " + disk.path()
                            + " \\(the engine's data root\\), engine.min_free_space needs 256\\.0 MiB");
            assertThat(engine.attempt("image", "inspect", image.text()).exitCode()).isNotZero();

            engineConfig.set(EngineConfig.DEFAULTS.withMinFreeSpace(ByteSize.ofMebibytes(8)));
            docker.ensureImage(image, progress -> { });
            assertThat(imageId(engine, image.text())).isNotBlank();
        }
    }
}

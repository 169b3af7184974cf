package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.RestartPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The update agent in auto mode: a desired state is carried out at once, with the full feedback sequence. */
class AutoModeTest extends AgentTest {

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Harness.auto());
    }

    @Test
    void seedHelloWorld_createsAndStartsTheContainer_completed() throws IOException {
        h.fake.withRegistryImage("docker.io/library/hello-world:latest");
        h.start();
        byte[] seed;
        try (InputStream in = getClass().getResourceAsStream("/seeds/hello-world.json")) {
            seed = in.readAllBytes();
        }
        h.send(seed);

        Messages.Feedback end = h.awaitEnd("test-correlation-activity-uuid");
        assertThat(h.statuses("test-correlation-activity-uuid")).containsExactly("IDENTIFYING", "IDENTIFIED",
                "DOWNLOADING", "DOWNLOAD_SUCCESS", "UPDATE_SUCCESS", "ACTIVATING", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        assertThat(end.actionStatuses()).containsExactly("ACTIVATION_SUCCESS");
        assertThat(end.actionMessages()).containsExactly("New container instance is started.");
        assertThat(end.payload().actions().get(0).component().id()).isEqualTo("containers:hello-world");
        Container hello = h.container("hello-world");
        assertThat(hello.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(hello.managed()).isTrue();
        assertThat(hello.spec().restartPolicy()).isEqualTo(RestartPolicy.UNLESS_STOPPED);
    }

    @Test
    void imageChange_replacesTheContainer_withoutLeftovers() {
        ContainerId old = h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/web:2");
        h.start();
        h.send(desired("act-1", component("web", "2", "image", "registry.local/web:2")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "DOWNLOADING",
                "DOWNLOAD_SUCCESS", "UPDATING", "UPDATE_SUCCESS", "ACTIVATING", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        assertThat(h.feedback("act-1").get(1).actionMessages())
                .containsExactly("Existing container will be destroyed and replaced by a new one.");
        assertThat(h.fake.list()).singleElement().satisfies(c -> {
            assertThat(c.name().value()).isEqualTo("web");
            assertThat(c.id()).isNotEqualTo(old);
            assertThat(c.image().text()).isEqualTo("registry.local/web:2");
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
        });
    }

    @Test
    void restartPolicyChange_updatesInPlace_keepsTheContainer() {
        ContainerId id = h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1", "restartPolicy", "always",
                "memory", "64m")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(h.feedback("act-1").get(1).actionMessages())
                .containsExactly("Existing container will be updated with new configuration.");
        Container web = h.container("web");
        assertThat(web.id()).isEqualTo(id);
        assertThat(web.spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(web.spec().resources().memory()).hasValueSatisfying(m -> assertThat(m.format()).isEqualTo("64m"));
        assertThat(end.actionMessages()).containsExactly("Container instance is updated with new configuration.");
        assertThat(h.fake.operations()).doesNotContain("stop web");
    }

    @Test
    void identicalDesiredState_onlyChecks_andStartsWhatIsNotRunning() {
        ContainerId id = h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.stop(id, io.gantry.core.container.StopOptions.DEFAULT);
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(h.feedback("act-1").get(1).actionMessages()).containsExactly(
                "No changes detected, existing container will be check only if it is running.");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(end.actionMessages()).containsExactly("Existing container instance is running.");
        assertThat(h.container("web").id()).isEqualTo(id);
        assertThat(h.container("web").status()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void emptyDesiredState_withoutContainers_completesWithoutActions() {
        h.start();
        h.send(desired("act-1"));

        h.awaitEnd("act-1");
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "COMPLETED");
        assertThat(h.feedback("act-1")).allSatisfy(f -> assertThat(f.json().get("payload").has("actions")).isFalse());
    }

    @Test
    void removal_destroysManagedContainers_only() {
        h.existing("old", "registry.local/old:1", RestartPolicy.UNLESS_STOPPED);
        h.existing("sua", "registry.local/sua:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withImage("registry.local/manual:1");
        ContainerId manual = h.fake.addUnmanaged(io.gantry.core.container.ContainerSpec.builder(
                io.gantry.core.container.ImageRef.parse("registry.local/manual:1"))
                .name(new io.gantry.core.container.ContainerName("manual")).build());
        h.fake.start(manual);
        h.config = new io.gantry.config.UpdateAgentConfig(true, "auto", "containers", List.of("sua"), false,
                java.time.Duration.ZERO, java.time.Duration.ofSeconds(1));
        h.start();
        h.send(desired("act-1"));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(end.actionStatuses()).containsExactly("REMOVAL_SUCCESS");
        assertThat(end.actionMessages()).containsExactly("Old container instance is removed.");
        assertThat(h.snapshot().keySet()).containsExactly("manual", "sua");
        assertThat(h.container("manual").status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(h.container("sua").status()).isEqualTo(ContainerStatus.RUNNING);
    }
}

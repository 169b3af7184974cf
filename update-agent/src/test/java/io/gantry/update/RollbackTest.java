package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.Health;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.protocol.FeedbackStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failures roll back every action of the operation: new containers removed, old ones back under their names and in
 * their previous run state, updated ones with their previous settings; nothing left half-done.
 */
class RollbackTest extends AgentTest {

    private static final String RESTORED = "Update unsuccessful, but rollback succeeded - new container instance"
            + " destroyed, old container instance restored.";

    private Harness harness(Duration settle, Duration health) {
        h = new Harness(stateDir, new UpdateAgentConfig(true, "auto", "containers", List.of(), false, settle, health));
        return h;
    }

    /** Starts web, whose image has a health check, and waits until the check runs. */
    private void startsWithAHealthCheck() {
        harness(Duration.ZERO, Duration.ofSeconds(10));
        h.fake.withRegistryImage("registry.local/web:1");
        h.engine.withHealthCheck("registry.local/web:1");
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));
        Harness.await().until(() -> h.fake.find("web")
                .map(c -> c.state().health() == Health.STARTING).orElse(false));
    }

    @Test
    void pullFailure_ofTheSecondComponent_rollsBackTheFirst_andLeavesTheRestUntouched() {
        harness(Duration.ZERO, Duration.ofSeconds(1));
        h.existing("a", "registry.local/a:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/a:2").withRegistryImage("registry.local/c:1");
        Map<String, String> before = h.snapshot();
        h.start();
        h.send(desired("act-1", component("a", "2", "image", "registry.local/a:2"),
                component("b", "1", "image", "registry.local/b:1"),
                component("c", "1", "image", "registry.local/c:1")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "DOWNLOADING", "DOWNLOADING",
                "DOWNLOAD_FAILURE", "ROLLBACK", "ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE");
        Messages.Feedback failure = h.feedback("act-1").get(4);
        assertThat(failure.actionStatuses()).containsExactly("DOWNLOAD_SUCCESS", "DOWNLOAD_FAILURE", "IDENTIFIED");
        assertThat(failure.actionMessages().get(1)).contains("registry.local/b");
        assertThat(end.actionStatuses()).containsExactly("UPDATE_FAILURE", "DOWNLOAD_FAILURE", "IDENTIFIED");
        assertThat(end.actionMessages().get(0)).isEqualTo(RESTORED);
        assertThat(end.message()).startsWith("DOWNLOAD_FAILURE of containers:b: ");
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void containerThatExitsAtOnce_rollsBackEveryAction_toTheExactPreviousState() {
        harness(Duration.ZERO, Duration.ofSeconds(1));
        h.withMixedState();
        h.fake.exitingAtOnce("registry.local/web:2");
        ContainerId paused = h.existing("pausy", "registry.local/pausy:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.pause(paused);
        Map<String, String> before = h.snapshot();
        h.start();
        h.send(desired("act-1",
                component("web", "2", "image", "registry.local/web:2"),
                component("cache", "1", "image", "registry.local/cache:1", "restartPolicy", "always"),
                component("stable", "1", "image", "registry.local/stable:1", "restartPolicy", "no"),
                component("pausy", "1", "image", "registry.local/pausy:1"),
                component("db", "1", "image", "registry.local/db:1")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("INCOMPLETE");
        assertThat(end.message()).isEqualTo("ACTIVATION_FAILURE of containers:web: container web exited with code 1"
                + " while settling");
        List<String> statuses = h.statuses("act-1");
        assertThat(statuses).containsSubsequence("ACTIVATING", "ACTIVATION_FAILURE", "ROLLBACK", "ROLLBACK_SUCCESS",
                "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(statuses).doesNotContain("ACTIVATION_SUCCESS", "COMPLETED");
        assertThat(end.actionStatuses()).containsOnly("UPDATE_FAILURE");
        assertThat(end.actionMessages().get(0)).isEqualTo("container web exited with code 1 while settling. "
                + RESTORED);
        assertThat(end.actionMessages()).contains(
                "Update unsuccessful, but rollback succeeded - container configuration restored from older instance.",
                "Update unsuccessful, but rollback succeeded - new container instance destroyed.",
                "Update unsuccessful, but rollback succeeded - old container instance restored.",
                "Update unsuccessful, but rollback succeeded - container run state restored.");
        assertThat(h.snapshot()).isEqualTo(before);
        assertThat(h.container("pausy").status()).isEqualTo(ContainerStatus.PAUSED);
        assertThat(h.container("stable").status()).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void startFailure_rollsBack_andReportsTheEngineError() {
        harness(Duration.ZERO, Duration.ofSeconds(1));
        h.withMixedState();
        Map<String, String> before = h.snapshot();
        h.engine.failWhen("start", "db"::equals, new EngineFailureException("no space left on device", null));
        h.start();
        h.send(Harness.mixedDesiredState("act-1"));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("INCOMPLETE");
        Messages.Feedback failure = h.awaitStatus("act-1", FeedbackStatus.ACTIVATION_FAILURE);
        assertThat(failure.actionStatuses().get(3)).isEqualTo("ACTIVATION_FAILURE");
        assertThat(failure.actionMessages().get(3)).isEqualTo("no space left on device");
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void startFailure_ofAContainerCreatedWhenItStarts_rollsBackEveryContainer() {
        harness(Duration.ZERO, Duration.ofSeconds(1));
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/web:2").withRegistryImage("registry.local/db:1");
        Map<String, String> before = h.snapshot();
        // the second start is the new web's (db starts first); the old web's restart in the rollback succeeds
        h.engine.failNth("start", 2, new EngineFailureException("no space left on device", null));
        h.start();
        // web names db by Kanto's host name, so db starts first and the new web is created only when it starts
        h.send(desired("act-1", component("web", "2", "image", "registry.local/web:2", "host", "db:container_db-host"),
                component("db", "1", "image", "registry.local/db:1")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("INCOMPLETE");
        Messages.Feedback downloaded = h.awaitStatus("act-1", FeedbackStatus.DOWNLOAD_SUCCESS);
        assertThat(downloaded.actionMessages().get(0)).isEqualTo("Image pulled; the container is created when it"
                + " starts, after the containers its extra hosts name.");
        Messages.Feedback failure = h.awaitStatus("act-1", FeedbackStatus.ACTIVATION_FAILURE);
        assertThat(failure.actionStatuses()).containsExactly("ACTIVATION_FAILURE", "ACTIVATION_SUCCESS");
        // db, started first, and the new web, created at its start, are gone; the old web runs as before
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void updateFailure_duringTheUpdatePhase_rollsBackWhatWasStopped() {
        harness(Duration.ZERO, Duration.ofSeconds(1));
        h.withMixedState();
        Map<String, String> before = h.snapshot();
        h.engine.failNth("update", 1, new EngineFailureException("update refused", null));
        h.start();
        h.send(Harness.mixedDesiredState("act-1"));

        h.awaitEnd("act-1");
        assertThat(h.statuses("act-1")).containsSubsequence("UPDATING", "UPDATE_FAILURE", "ROLLBACK",
                "ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(h.snapshot()).isEqualTo(before);
        assertThat(h.fake.list()).noneMatch(c -> c.name().value().contains(".gantry-"));
    }

    @Test
    void rollbackThatCannotRestoreTheOldName_endsRollbackFailure_andSaysWhy() {
        harness(Duration.ZERO, Duration.ofSeconds(1));
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/web:2").exitingAtOnce("registry.local/web:2");
        h.engine.failWhen("rename", arg -> arg.toString().startsWith("web.gantry-old"),
                new ContainerConflictException("rename refused", null));
        h.start();
        h.send(desired("act-1", component("web", "2", "image", "registry.local/web:2")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(h.statuses("act-1")).containsSubsequence("ACTIVATION_FAILURE", "ROLLBACK", "ROLLBACK_FAILURE",
                "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(end.actionMessages()).containsExactly("Rollback failed: rename refused");
        // the failed one is not running under a temporary name: the new container was removed
        assertThat(h.fake.list()).singleElement()
                .satisfies(c -> assertThat(c.image().text()).isEqualTo("registry.local/web:1"));
    }

    @Test
    void containerThatCrashesWhileSettling_failsTheActivation() {
        harness(Duration.ofSeconds(30), Duration.ofSeconds(1));
        h.fake.withRegistryImage("registry.local/web:1");
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));
        Harness.await()
                .until(() -> h.fake.find("web").map(c -> c.state().isRunning()).orElse(false));
        h.fake.exit(h.container("web").id(), 2);

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.message()).isEqualTo("ACTIVATION_FAILURE of containers:web: container web exited with code 2"
                + " while settling");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void containerThatFinishesItsJobWhileSettling_isASuccess() {
        harness(Duration.ofSeconds(2), Duration.ofSeconds(1));
        h.fake.withRegistryImage("registry.local/job:1");
        h.start();
        h.send(desired("act-1", component("job", "1", "image", "registry.local/job:1", "restartPolicy", "no")));
        Harness.await()
                .until(() -> h.fake.find("job").map(c -> c.state().isRunning()).orElse(false));
        h.fake.exit(h.container("job").id(), 0);

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.container("job").status()).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void healthCheck_thatTurnsHealthy_completes() {
        startsWithAHealthCheck();
        assertThat(h.statuses("act-1")).doesNotContain("ACTIVATION_SUCCESS");

        h.fake.setHealth(h.container("web").id(), Health.HEALTHY);

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
    }

    @Test
    void healthCheck_thatNeverPasses_failsAfterTheHealthTimeout() {
        harness(Duration.ZERO, Duration.ofMillis(300));
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        Map<String, String> before = h.snapshot();
        h.fake.withRegistryImage("registry.local/web:2");
        h.engine.withHealthCheck("registry.local/web:2");
        h.start();
        h.send(desired("act-1", component("web", "2", "image", "registry.local/web:2")));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.message()).isEqualTo("ACTIVATION_FAILURE of containers:web: container web did not become"
                + " healthy within 300ms");
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void healthCheck_thatTurnsUnhealthy_fails() {
        startsWithAHealthCheck();

        h.fake.setHealth(h.container("web").id(), Health.UNHEALTHY);

        assertThat(h.awaitEnd("act-1").message()).endsWith("container web is unhealthy");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void newerDesiredState_supersedesTheRunningOne_whichIsRolledBack() {
        harness(Duration.ZERO, Duration.ofSeconds(30));
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        Map<String, String> before = h.snapshot();
        h.fake.withRegistryImage("registry.local/web:2").withRegistryImage("registry.local/web:3");
        h.engine.withHealthCheck("registry.local/web:2");
        h.start();
        h.send(desired("act-A", component("web", "2", "image", "registry.local/web:2")));
        // A settles (its new container starts early, then waits to become healthy): superseded there, not before
        h.awaitStatus("act-A", FeedbackStatus.ACTIVATING);
        assertThat(h.fake.find("web"))
                .hasValueSatisfying(c -> assertThat(c.state().health()).isEqualTo(Health.STARTING));
        assertThat(h.snapshot()).isNotEqualTo(before);

        h.send(desired("act-B", component("web", "3", "image", "registry.local/web:3")));

        Messages.Feedback endA = h.awaitEnd("act-A");
        assertThat(endA.status()).isEqualTo("INCOMPLETE");
        assertThat(endA.message()).isEqualTo("Superseded by activity act-B.");
        assertThat(h.statuses("act-A")).containsSubsequence("ACTIVATING", "ROLLBACK", "ROLLBACK_SUCCESS",
                "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(h.awaitEnd("act-B").status()).isEqualTo("COMPLETED");
        assertThat(h.fake.list()).singleElement()
                .satisfies(c -> assertThat(c.image().text()).isEqualTo("registry.local/web:3"));
        // B's feedback starts only after A's has ended
        List<String> order = h.transport.publishedOn(Harness.FEEDBACK).stream()
                .map(p -> Messages.feedback(p.payload())).map(f -> f.activityId() + " " + f.status()).toList();
        assertThat(order.indexOf("act-A INCOMPLETE")).isLessThan(order.indexOf("act-B IDENTIFYING"));
        Container web = h.container("web");
        assertThat(web.status()).isEqualTo(ContainerStatus.RUNNING);
    }
}

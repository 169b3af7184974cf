package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.journal.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every phase makes its engine calls several at a time: creates and starts four at a time (the update agent's
 * engine-call pool), stops and removals more (its wait pool), renames and rollbacks too, while the feedback stays
 * exactly what one-after-another work reports, in plan order, and a failure of one call still rolls back everything
 * the operation did. In auto mode a new container starts as soon as it is created; orchestrated mode keeps Kanto's
 * barrier between DOWNLOAD and ACTIVATE.
 */
class ConcurrentCallsTest extends AgentTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Harness.auto());
        NAMES.forEach(n -> h.fake.withImage("registry.local/" + n + ":1"));
    }

    private static byte[] fiveNewContainers(String activityId) {
        return desired(activityId, NAMES.stream().map(n -> component(n, "1", "image", "registry.local/" + n + ":1"))
                .toArray(io.gantry.update.protocol.WireComponent[]::new));
    }

    @Test
    void newContainers_areCreatedAndStartedFourAtATime_andReportedInPlanOrder() {
        h.engine.gather("create", 4, 5000);
        h.engine.gather("start", 4, 5000);
        h.start();
        h.send(fiveNewContainers("act-1"));

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.engine.mostAtOnce("create")).isEqualTo(4);
        assertThat(h.engine.mostAtOnce("start")).isEqualTo(4);
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED",
                "DOWNLOADING", "DOWNLOADING", "DOWNLOADING", "DOWNLOADING", "DOWNLOADING", "DOWNLOAD_SUCCESS",
                "UPDATE_SUCCESS",
                "ACTIVATING", "ACTIVATING", "ACTIVATING", "ACTIVATING", "ACTIVATING", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        // The k-th DOWNLOADING says: the actions before k are done, k is under way, the ones after it wait.
        List<Messages.Feedback> downloading = h.feedback("act-1").stream()
                .filter(f -> f.status().equals("DOWNLOADING")).toList();
        for (int k = 0; k < NAMES.size(); k++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < NAMES.size(); i++) {
                expected.add(i < k ? "DOWNLOAD_SUCCESS" : i == k ? "DOWNLOADING" : "IDENTIFIED");
            }
            assertThat(downloading.get(k).actionStatuses()).as("DOWNLOADING #%d", k + 1).isEqualTo(expected);
        }
        assertThat(h.last("act-1").actionMessages()).containsOnly("New container instance is started.");
        NAMES.forEach(n -> assertThat(h.container(n).status()).isEqualTo(ContainerStatus.RUNNING));
        assertThat(h.engine.callingThreads()).filteredOn(t -> t.startsWith("gantry-update-engine")).isNotEmpty();
    }

    @Test
    void oneFailingCreate_amongConcurrentOnes_rollsBackEveryContainerTheOperationMade() {
        h.engine.failWhen("create", "c"::equals, new EngineFailureException("no space left on device", null));
        // c fails only once a, b and d are under way with it: d is then always among the containers to remove.
        h.engine.gather("create", 4, 2000);
        h.start();
        h.send(fiveNewContainers("act-1"));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("INCOMPLETE");
        assertThat(end.message()).isEqualTo("DOWNLOAD_FAILURE of containers:c: no space left on device");
        assertThat(h.statuses("act-1")).containsSubsequence("DOWNLOADING", "DOWNLOAD_FAILURE", "ROLLBACK",
                "ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE").doesNotContain("ACTIVATING", "COMPLETED");
        // a, b and d were created at the same time as c failed: all three are removed again
        List<String> actions = end.actionStatuses();
        assertThat(actions.get(0)).isEqualTo("UPDATE_FAILURE");
        assertThat(actions.get(1)).isEqualTo("UPDATE_FAILURE");
        assertThat(actions.get(2)).isEqualTo("UPDATE_FAILURE");
        assertThat(actions.get(3)).isEqualTo("UPDATE_FAILURE");
        assertThat(actions.get(4)).isIn("UPDATE_FAILURE", "IDENTIFIED");
        assertThat(end.actionMessages().get(2)).startsWith("no space left on device. ");
        assertThat(end.actionMessages().get(3))
                .isEqualTo("Update unsuccessful, but rollback succeeded - new container instance destroyed.");
        assertThat(h.fake.list()).isEmpty();
        assertThat(new Journal(stateDir).exists()).isFalse();
    }

    @Test
    void containerInAnotherContainersNetwork_isStartedOnlyAfterIt() {
        h.engine.gather("start", 2, 1000);
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/a:1"),
                component("sidecar", "1", "image", "registry.local/b:1", "network", "container:web")));

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        List<String> log = h.engine.callLog();
        assertThat(log.indexOf("end start web")).isNotNegative().isLessThan(log.indexOf("begin start sidecar"));
        assertThat(log.indexOf("end create web")).isNotNegative().isLessThan(log.indexOf("begin create sidecar"));
        assertThat(h.engine.mostAtOnce("start")).isEqualTo(1);
    }

    @Test
    void emptyDesiredState_stopsAndRemovesTheOldContainersAllAtOnce() {
        NAMES.forEach(n -> h.existing(n, "registry.local/" + n + ":1", RestartPolicy.UNLESS_STOPPED));
        h.engine.gather("stop", 5, 5000);
        h.engine.gather("remove", 5, 5000);
        h.start();
        h.send(desired("act-1"));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(h.engine.mostAtOnce("stop")).isEqualTo(5);
        assertThat(h.engine.mostAtOnce("remove")).isEqualTo(5);
        assertThat(end.actionStatuses()).containsOnly("REMOVAL_SUCCESS").hasSize(5);
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "DOWNLOAD_SUCCESS",
                "UPDATING", "UPDATING", "UPDATING", "UPDATING", "UPDATING", "UPDATE_SUCCESS", "ACTIVATION_SUCCESS",
                "CLEANUP_SUCCESS", "COMPLETED");
        assertThat(h.fake.list()).isEmpty();
        assertThat(h.engine.callingThreads()).filteredOn(t -> t.startsWith("gantry-update-wait")).isNotEmpty();
    }

    @Test
    void recreates_stopRenameAndStartSeveralAtATime() {
        NAMES.forEach(n -> {
            h.existing(n, "registry.local/" + n + ":1", RestartPolicy.UNLESS_STOPPED);
            h.fake.withImage("registry.local/" + n + ":2");
        });
        h.engine.gather("stop", 5, 5000);
        h.engine.gather("rename", 5, 5000);
        h.start();
        h.send(desired("act-1", NAMES.stream().map(n -> component(n, "2", "image", "registry.local/" + n + ":2"))
                .toArray(io.gantry.update.protocol.WireComponent[]::new)));

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.engine.mostAtOnce("stop")).isEqualTo(5);
        assertThat(h.engine.mostAtOnce("rename")).isEqualTo(5);
        NAMES.forEach(n -> {
            assertThat(h.container(n).image().text()).isEqualTo("registry.local/" + n + ":2");
            assertThat(h.container(n).status()).isEqualTo(ContainerStatus.RUNNING);
        });
        assertThat(h.fake.list()).hasSize(5);
    }

    @Test
    void failedActivation_removesTheNewContainersAtOnce_andRestoresEveryOldOne() {
        NAMES.forEach(n -> {
            h.existing(n, "registry.local/" + n + ":1", RestartPolicy.UNLESS_STOPPED);
            h.fake.withImage("registry.local/" + n + ":2");
        });
        Map<String, String> before = h.snapshot();
        // the new c cannot take its name; the old c must get its own back all the same
        h.engine.failWhen("rename", o -> o.toString().startsWith("c.gantry-new"),
                new EngineFailureException("name is in use", null));
        h.engine.gather("remove", 5, 5000);
        h.start();
        h.send(desired("act-1", NAMES.stream().map(n -> component(n, "2", "image", "registry.local/" + n + ":2"))
                .toArray(io.gantry.update.protocol.WireComponent[]::new)));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("INCOMPLETE");
        assertThat(end.message()).isEqualTo("ACTIVATION_FAILURE of containers:c: name is in use");
        assertThat(h.engine.mostAtOnce("remove")).isEqualTo(5);
        assertThat(end.actionStatuses()).containsOnly("UPDATE_FAILURE");
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void autoMode_startsANewContainerAsSoonAsItIsCreated_andAFailedCreateStillRemovesIt() {
        h.engine.failWhen("create", "e"::equals, new EngineFailureException("no space left on device", null));
        h.start();
        h.send(fiveNewContainers("act-1"));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.message()).isEqualTo("DOWNLOAD_FAILURE of containers:e: no space left on device");
        assertThat(h.statuses("act-1")).doesNotContain("ACTIVATING");
        // a started in DOWNLOAD, before the create of e failed; the rollback removed it all the same
        assertThat(h.engine.callLog()).contains("end start a");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void orchestratedMode_keepsTheBarrier_nothingStartsBeforeActivate() {
        h.close();
        h = new Harness(stateDir, Harness.orchestrated());
        NAMES.forEach(n -> h.fake.withImage("registry.local/" + n + ":1"));
        h.start();
        h.send(fiveNewContainers("act-1"));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        h.command("act-1", "DOWNLOAD");
        h.awaitStatus("act-1", FeedbackStatus.DOWNLOAD_SUCCESS);

        assertThat(h.fake.list()).hasSize(5).noneMatch(c -> c.status().isAlive());
        assertThat(h.engine.callLog()).noneMatch(c -> c.contains("start"));
    }

    @Test
    void autoMode_startsAReplacementOnceItsOldContainerIsAside_andAFailedStopStillRestoresEveryOldOne() {
        NAMES.forEach(n -> {
            h.existing(n, "registry.local/" + n + ":1", RestartPolicy.UNLESS_STOPPED);
            h.fake.withImage("registry.local/" + n + ":2");
        });
        Map<String, String> before = h.snapshot();
        // e's stop fails while a's is under way, so a's replacement goes on to its start
        h.engine.gather("stop", 4, 2000);
        h.engine.failWhen("stop", "e"::equals, new EngineFailureException("container cannot be stopped", null));
        h.start();
        h.send(desired("act-1", NAMES.stream().map(n -> component(n, "2", "image", "registry.local/" + n + ":2"))
                .toArray(io.gantry.update.protocol.WireComponent[]::new)));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.message()).isEqualTo("UPDATE_FAILURE of containers:e: container cannot be stopped");
        assertThat(h.statuses("act-1")).doesNotContain("ACTIVATING");
        // a's new container was named and started in UPDATE (nothing reached ACTIVATE); the rollback undid it all
        assertThat(h.engine.callLog()).contains("end start a").anyMatch(c -> c.startsWith("end rename a.gantry-new-"));
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void orchestratedMode_startsAReplacementOnlyInActivate() {
        h.close();
        h = new Harness(stateDir, Harness.orchestrated());
        h.existing("a", "registry.local/a:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withImage("registry.local/a:2");
        h.start();
        h.send(desired("act-1", component("a", "2", "image", "registry.local/a:2")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        h.command("act-1", "DOWNLOAD");
        h.awaitStatus("act-1", FeedbackStatus.DOWNLOAD_SUCCESS);
        h.command("act-1", "UPDATE");
        h.awaitStatus("act-1", FeedbackStatus.UPDATE_SUCCESS);

        assertThat(h.fake.list()).hasSize(2).noneMatch(c -> c.status().isAlive());
        assertThat(h.engine.callLog()).noneMatch(c -> c.contains("start"));
    }
}

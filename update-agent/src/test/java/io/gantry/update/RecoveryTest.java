package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.update.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent dies (like {@code kill -9}) at every engine change of an operation, before or after the engine made it;
 * the next start finds the journal and either finishes the operation (once its cleanup had begun) or rolls it back
 * to the exact previous state, and reports the outcome under the operation's activity id.
 */
class RecoveryTest {

    private static final String ROLLED_BACK = "The update agent stopped during this operation; it was rolled back when"
            + " the agent started again.";

    @TempDir
    Path base;

    /** The harness's mixed scenario: every kind of action in one operation. */
    private static Harness prepared(Path stateDir) {
        return new Harness(stateDir, Harness.auto()).withMixedState();
    }

    private static byte[] desiredState() {
        return Harness.mixedDesiredState("act-1");
    }

    /** Name → image, run state and restart policy, without ids: the shape of a converged state. */
    private static Map<String, String> shape(FakeContainerEngine fake) {
        Map<String, String> shape = new TreeMap<>();
        for (Container c : fake.list()) {
            shape.put(c.name().value(), c.image().canonical() + " " + c.status().dockerName() + " "
                    + c.spec().restartPolicy());
        }
        return shape;
    }

    private record CleanRun(List<String> changes, Map<String, String> shape) {
    }

    private CleanRun cleanRun() {
        try (Harness h = prepared(base.resolve("clean"))) {
            h.start();
            h.send(desiredState());
            assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
            return new CleanRun(h.engine.changes(), shape(h.fake));
        }
    }

    /** Runs the operation until the agent dies at change {@code k}, then starts a new agent on the same state. */
    private Harness crashAndRestart(Path stateDir, int k, boolean after, Map<String, String> before) throws Exception {
        Harness first = prepared(stateDir);
        before.putAll(first.snapshot());
        first.engine.crashAt(k, after);
        first.start();
        first.send(desiredState());
        assertThat(first.engine.awaitCrash(10)).as("crash at change %d", k).isTrue();
        first.close();
        assertThat(new Journal(stateDir).exists()).as("journal after crash at change %d", k).isTrue();

        Harness second = new Harness(first.fake, stateDir, Harness.auto());
        second.start();
        second.awaitEnd("act-1");
        return second;
    }

    @Test
    void crashAtEveryEngineChange_isFinishedOrRolledBack_atTheNextStart() throws Exception {
        CleanRun clean = cleanRun();
        assertThat(clean.changes()).hasSizeGreaterThanOrEqualTo(10);
        List<String> outcomes = new ArrayList<>();
        for (int k = 1; k <= clean.changes().size(); k++) {
            for (boolean after : new boolean[] {false, true}) {
                String where = (after ? "after " : "before ") + clean.changes().get(k - 1);
                Path stateDir = base.resolve("run-" + k + (after ? "-after" : "-before"));
                Map<String, String> before = new TreeMap<>();
                try (Harness restarted = crashAndRestart(stateDir, k, after, before)) {
                    Messages.Feedback end = restarted.last("act-1");
                    outcomes.add(where + " -> " + end.status());
                    if (end.status().equals("COMPLETED")) {
                        assertThat(shape(restarted.fake)).as(where).isEqualTo(clean.shape());
                    } else {
                        assertThat(end.status()).as(where).isEqualTo("INCOMPLETE");
                        assertThat(end.message()).as(where).isEqualTo(ROLLED_BACK);
                        assertThat(restarted.snapshot()).as(where).isEqualTo(before);
                    }
                    assertThat(restarted.fake.list()).as(where)
                            .noneMatch(c -> c.name().value().contains(".gantry-"));
                    // The final feedback is handed to the publishing thread just before the journal is deleted.
                    Harness.await().alias(where).until(() -> !Files.exists(new Journal(stateDir).file()));
                }
            }
        }
        // only a crash once the cleanup had begun is finished; every earlier one is rolled back
        assertThat(outcomes).filteredOn(o -> o.endsWith("COMPLETED")).allMatch(o -> o.contains("remove "));
        assertThat(outcomes).filteredOn(o -> o.endsWith("INCOMPLETE")).hasSizeGreaterThan(15);
    }

    @Test
    void crashBetweenSettingTheOldContainerAsideAndStartingTheNewOne_restoresTheOldOne() throws Exception {
        CleanRun clean = cleanRun();
        int renamedAside = 1 + clean.changes().indexOf(clean.changes().stream()
                .filter(c -> c.startsWith("rename web web.gantry-old-")).findFirst().orElseThrow());
        Map<String, String> before = new TreeMap<>();
        try (Harness restarted = crashAndRestart(base.resolve("aside"), renamedAside, true, before)) {
            assertThat(restarted.last("act-1").status()).isEqualTo("INCOMPLETE");
            // touched by then: db (created) and web (new one created, old one stopped and set aside); cache's update
            // and old's stop overlap with setting web aside, so they may have begun too
            List<String> actions = restarted.last("act-1").payload().actions().stream()
                    .map(a -> a.component().id() + " " + a.status()).toList();
            assertThat(actions).hasSize(5).startsWith("containers:web UPDATE_FAILURE");
            assertThat(actions.get(1)).isIn("containers:cache IDENTIFIED", "containers:cache UPDATE_FAILURE");
            assertThat(actions.subList(2, 4)).containsExactly("containers:stable IDENTIFIED",
                    "containers:db UPDATE_FAILURE");
            assertThat(actions.get(4)).isIn("containers:old IDENTIFIED", "containers:old UPDATE_FAILURE");
            List<String> statuses = new ArrayList<>();
            actions.stream().filter(a -> a.endsWith("UPDATE_FAILURE")).forEach(a -> statuses.add("ROLLBACK"));
            statuses.addAll(List.of("ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE"));
            assertThat(restarted.statuses("act-1")).containsExactlyElementsOf(statuses);
            assertThat(restarted.snapshot()).isEqualTo(before);
            Container web = restarted.container("web");
            assertThat(web.image().text()).isEqualTo("registry.local/web:1");
            assertThat(web.status()).isEqualTo(ContainerStatus.RUNNING);
            Harness.await().until(() -> restarted.currentStates().stream().anyMatch(s -> s.activityId().equals("act-1")));
        }
    }

    @Test
    void engineUnreachableAtRestart_keepsTheJournal_andTheRollbackIsDoneOnceItIsBack() throws Exception {
        Path stateDir = base.resolve("down");
        Harness first = prepared(stateDir);
        Map<String, String> before = first.snapshot();
        first.engine.crashAt(3, true);
        first.start();
        first.send(desiredState());
        assertThat(first.engine.awaitCrash(10)).isTrue();
        first.close();

        first.fake.goDown();
        try (Harness second = new Harness(first.fake, stateDir, Harness.auto())) {
            second.start();
            assertThat(second.awaitEnd("act-1").message()).contains("the rollback of containers:");
            assertThat(second.statuses("act-1")).contains("ROLLBACK_FAILURE");
        }
        assertThat(new Journal(stateDir).exists()).isTrue();

        first.fake.comeBack();
        try (Harness third = new Harness(first.fake, stateDir, Harness.auto())) {
            third.start();
            assertThat(third.awaitEnd("act-1").status()).isEqualTo("INCOMPLETE");
            assertThat(third.statuses("act-1")).contains("ROLLBACK_SUCCESS");
            assertThat(third.snapshot()).isEqualTo(before);
        }
        assertThat(new Journal(stateDir).exists()).isFalse();
    }

    @Test
    void engineUnreachableWhileTheOldContainersAreRemoved_keepsTheJournal_untilTheSetAsideOneIsGone() {
        CleanRun clean = cleanRun();
        Path stateDir = base.resolve("cleanup-down");
        Harness first = prepared(stateDir);
        // dockerd restarts just as the cleanup removes the old container set aside (known only to the journal)
        first.engine.failWhen("remove", name -> name.toString().startsWith("web.gantry-old-"),
                new EngineUnavailableException("dockerd restarts", null));
        first.start();
        first.send(desiredState());
        assertThat(first.awaitEnd("act-1").status()).isEqualTo("INCOMPLETE");
        assertThat(first.statuses("act-1")).contains("CLEANUP_FAILURE");
        first.close();
        assertThat(first.fake.list()).anyMatch(c -> c.name().value().startsWith("web.gantry-old-"));
        assertThat(new Journal(stateDir).exists()).isTrue();

        // the recovery at the next start cannot reach the engine either: the journal is kept again
        first.fake.goDown();
        try (Harness second = new Harness(first.fake, stateDir, Harness.auto())) {
            second.start();
            assertThat(second.awaitEnd("act-1").status()).isEqualTo("INCOMPLETE");
            assertThat(second.statuses("act-1")).contains("CLEANUP_FAILURE");
        }
        assertThat(new Journal(stateDir).exists()).isTrue();

        first.fake.comeBack();
        try (Harness third = new Harness(first.fake, stateDir, Harness.auto())) {
            third.start();
            assertThat(third.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
            assertThat(shape(third.fake)).isEqualTo(clean.shape());
            Harness.await().until(() -> !new Journal(stateDir).exists());
        }
    }

    @Test
    void stop_duringAnOperation_leavesItJournaled_andTheNextStartRollsItBack() throws Exception {
        Path stateDir = base.resolve("stop");
        Harness first = prepared(stateDir);
        Map<String, String> before = first.snapshot();
        first.config = new io.gantry.config.UpdateAgentConfig(true, "auto", "containers", List.of(), false,
                java.time.Duration.ZERO, java.time.Duration.ofSeconds(30));
        first.engine.withHealthCheck("registry.local/web:2");
        first.start();
        first.send(desiredState());
        Harness.await().until(() -> first.fake.find("web").map(c -> c.image().text().endsWith(":2")
                && c.state().isRunning()).orElse(false));
        // web:2 may run already in UPDATE (auto mode starts a replacement once its old container is aside); the
        // operation stays in ACTIVATE while web:2's health check is starting
        first.awaitStatus("act-1", io.gantry.update.protocol.FeedbackStatus.ACTIVATING);
        first.close();
        assertThat(first.last("act-1").status()).isEqualTo("ACTIVATING");

        try (Harness second = new Harness(first.fake, stateDir, Harness.auto())) {
            second.start();
            assertThat(second.awaitEnd("act-1").message()).isEqualTo(ROLLED_BACK);
            assertThat(second.snapshot()).isEqualTo(before);
        }
    }

    @Test
    void stop_rightAfterIdentified_endsTheActivityAtTheNextStart_withNothingChanged() throws Exception {
        Path stateDir = base.resolve("identified");
        Harness first = new Harness(stateDir, Harness.orchestrated()).withMixedState();
        Map<String, String> before = first.snapshot();
        first.start();
        first.send(desiredState());
        first.awaitStatus("act-1", io.gantry.update.protocol.FeedbackStatus.IDENTIFIED);
        first.close(); // orchestrated: the operation waits for DOWNLOAD, nothing is changed yet
        assertThat(new Journal(stateDir).exists()).isTrue();

        try (Harness second = new Harness(first.fake, stateDir, Harness.orchestrated())) {
            second.start();
            Messages.Feedback end = second.awaitEnd("act-1");
            assertThat(end.status()).isEqualTo("INCOMPLETE");
            assertThat(end.message()).isEqualTo("The update agent stopped during this operation, before it changed"
                    + " anything.");
            assertThat(second.snapshot()).isEqualTo(before);
            Harness.await().until(() -> !new Journal(stateDir).exists());
        }
    }

    @Test
    void journalOfAnActivityStillIdentifying_endsItWithIdentificationFailed_atTheNextStart() throws Exception {
        Path stateDir = base.resolve("identifying");
        // what a kill between IDENTIFYING and IDENTIFIED leaves
        new Journal(stateDir).write(io.gantry.update.journal.JournalRecord.identifying("act-7"));

        try (Harness h = prepared(stateDir)) {
            Map<String, String> before = h.snapshot();
            h.start();
            Messages.Feedback end = h.awaitEnd("act-7");
            assertThat(end.status()).isEqualTo("IDENTIFICATION_FAILED");
            assertThat(end.message()).isEqualTo(OperationDriver.STOPPED_WHILE_IDENTIFYING);
            assertThat(h.snapshot()).isEqualTo(before);
            assertThat(new Journal(stateDir).exists()).isFalse();
        }
    }
}

package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.WireBaseline;
import io.gantry.update.protocol.WireComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orchestrated mode: Kanto's update manager drives the phases with commands (reference/kanto-cua.md §3.4–3.7).
 * Test names cite the §7 statement they check; "differs" marks where Gantry rolls back instead of leaving
 * duplicates.
 */
class OrchestratedModeTest extends AgentTest {

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Harness.orchestrated());
    }

    /** Starts the agent, sends a desired state and waits until it is identified. */
    private void identify(String activityId, WireComponent... components) {
        h.start();
        h.send(desired(activityId, components));
        h.awaitStatus(activityId, FeedbackStatus.IDENTIFIED);
    }

    /** Sends a command and waits for the status it ends with. */
    private Messages.Feedback run(String activityId, String command, FeedbackStatus ending) {
        int before = h.feedback(activityId).size();
        h.command(activityId, command);
        h.awaitFeedbackCount(activityId, before + 1);
        return h.awaitStatus(activityId, ending);
    }

    private List<String> statusesAfter(String activityId, int index) {
        List<String> all = h.statuses(activityId);
        return all.subList(index, all.size());
    }

    @Test
    void s7_1_desiredState_isIdentified_andNothingIsCreatedBeforeDownload() {
        h.fake.withRegistryImage("docker.io/library/hello-world:latest");
        h.start();
        h.send(desired("act-1", component("hello", "latest", "image", "docker.io/library/hello-world:latest")));

        Messages.Feedback identified = h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED");
        assertThat(h.feedback("act-1").get(0).json().get("payload").has("actions")).isFalse();
        assertThat(identified.json().get("payload").get("actions")).hasSize(1);
        assertThat(identified.payload().actions().get(0).component().id()).isEqualTo("containers:hello");
        assertThat(identified.payload().actions().get(0).component().version()).isEqualTo("latest");
        assertThat(identified.actionStatuses()).containsExactly("IDENTIFIED");
        assertThat(identified.actionMessages()).containsExactly("New container will be created and started.");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void s7_2_commands_createInDownload_startInActivate_andComplete() {
        h.fake.withRegistryImage("docker.io/library/hello-world:latest");
        identify("act-1", component("hello", "latest", "image", "docker.io/library/hello-world:latest"));

        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        assertThat(h.container("hello").status()).isEqualTo(ContainerStatus.CREATED);
        run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);
        run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_SUCCESS);
        assertThat(h.container("hello").status()).isEqualTo(ContainerStatus.RUNNING);
        Messages.Feedback end = run("act-1", "CLEANUP", FeedbackStatus.COMPLETED);

        assertThat(statusesAfter("act-1", 2)).containsExactly("DOWNLOADING", "DOWNLOAD_SUCCESS", "UPDATE_SUCCESS",
                "ACTIVATING", "ACTIVATION_SUCCESS", "CLEANUP_SUCCESS", "COMPLETED");
        assertThat(end.actionStatuses()).containsExactly("ACTIVATION_SUCCESS");
        assertThat(end.actionMessages()).containsExactly("New container instance is started.");
        assertThat(end.json().get("payload").has("baseline")).isFalse();
    }

    @Test
    void s7_4_destroy_isStoppedInUpdate_andRemovedInCleanup() {
        h.existing("alpine", "docker.io/library/alpine:latest", RestartPolicy.UNLESS_STOPPED);
        h.start();
        h.send(desired("act-1"));
        Messages.Feedback identified = h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        assertThat(identified.actionMessages()).containsExactly("Existing container will be destroyed, no longer needed.");
        assertThat(identified.payload().actions().get(0).component().version()).isEqualTo("latest");

        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        Messages.Feedback updated = run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);
        assertThat(updated.actionStatuses()).containsExactly("UPDATE_SUCCESS");
        assertThat(updated.actionMessages()).containsExactly("Old container instance is stopped.");
        assertThat(h.container("alpine").status()).isEqualTo(ContainerStatus.EXITED);
        run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_SUCCESS);
        assertThat(h.container("alpine").status()).isEqualTo(ContainerStatus.EXITED);
        Messages.Feedback end = run("act-1", "CLEANUP", FeedbackStatus.COMPLETED);

        assertThat(end.actionStatuses()).containsExactly("REMOVAL_SUCCESS");
        assertThat(end.actionMessages()).containsExactly("Old container instance is removed.");
        assertThat(statusesAfter("act-1", h.statuses("act-1").size() - 2)).containsExactly("CLEANUP_SUCCESS",
                "COMPLETED");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void s7_5_identicalDesiredState_waitsWithCheckActions_andStartsAPausedOrStoppedContainer() {
        ContainerId id = h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.pause(id);
        h.start();
        h.send(desired("act-1", component("web", "1", "image", "registry.local/web:1")));
        Messages.Feedback identified = h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        assertThat(identified.actionMessages()).containsExactly(
                "No changes detected, existing container will be check only if it is running.");
        assertThat(h.statuses("act-1")).doesNotContain("COMPLETED");

        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);
        Messages.Feedback activated = run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_SUCCESS);

        assertThat(activated.actionStatuses()).containsExactly("ACTIVATION_SUCCESS");
        assertThat(activated.actionMessages()).containsExactly("Existing container instance is running.");
        assertThat(h.container("web").status()).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void s7_8_recreate_newContainerWaitsUnderATemporaryName_untilActivate() {
        ContainerId old = h.existing("influxdb", "registry.local/influxdb:1.8.4", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/influxdb:1.8.5");
        h.start();
        h.send(desired("act-1", component("influxdb", "1.8.5", "image", "registry.local/influxdb:1.8.5")));
        assertThat(h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED).actionMessages())
                .containsExactly("Existing container will be destroyed and replaced by a new one.");

        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        // differs: Docker allows one container per name, so the new one waits as influxdb.gantry-new-<id>
        assertThat(h.fake.list()).hasSize(2);
        assertThat(h.container("influxdb").id()).isEqualTo(old);
        assertThat(h.container("influxdb").status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(h.fake.list()).anySatisfy(c -> {
            assertThat(c.name().value()).startsWith("influxdb.gantry-new-");
            assertThat(c.status()).isEqualTo(ContainerStatus.CREATED);
        });
        run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);
        assertThat(h.fake.inspect(old).orElseThrow().status()).isEqualTo(ContainerStatus.EXITED);
        run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_SUCCESS);
        assertThat(h.container("influxdb").id()).isNotEqualTo(old);
        assertThat(h.container("influxdb").status()).isEqualTo(ContainerStatus.RUNNING);
        Messages.Feedback end = run("act-1", "CLEANUP", FeedbackStatus.COMPLETED);

        assertThat(end.actionStatuses()).containsExactly("ACTIVATION_SUCCESS");
        assertThat(h.fake.list()).singleElement().satisfies(c -> assertThat(c.name().value()).isEqualTo("influxdb"));
    }

    @Test
    void s7_10_restartPolicyChange_isUpdatedInPlace_inTheUpdatePhase() {
        ContainerId id = h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        identify("act-1", component("web", "1", "image", "registry.local/web:1", "restartPolicy", "always"));

        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        Messages.Feedback updated = run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);

        assertThat(updated.actionMessages()).containsExactly("Container instance is updated with new configuration.");
        assertThat(h.container("web").id()).isEqualTo(id);
        assertThat(h.container("web").spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
    }

    @Test
    void s7_37_pullFailure_onTheSecondOfThree_isRolledBack_differsFromKantoWhichKeepsTheFirst() {
        h.fake.withRegistryImage("registry.local/a:1").withRegistryImage("registry.local/c:1");
        identify("act-1", component("a", "1", "image", "registry.local/a:1"),
                component("b", "1", "image", "registry.local/b:1"), component("c", "1", "image", "registry.local/c:1"));

        Messages.Feedback failure = run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_FAILURE);
        assertThat(failure.actionStatuses()).containsExactly("DOWNLOAD_SUCCESS", "DOWNLOAD_FAILURE", "IDENTIFIED");
        assertThat(failure.actionMessages().get(0)).isEqualTo("New container created.");
        h.awaitStatus("act-1", FeedbackStatus.ROLLBACK_SUCCESS);
        assertThat(h.fake.list()).isEmpty();
        run("act-1", "CLEANUP", FeedbackStatus.INCOMPLETE);

        assertThat(statusesAfter("act-1", 2)).containsExactly("DOWNLOADING", "DOWNLOADING", "DOWNLOAD_FAILURE",
                "ROLLBACK", "ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void s7_38_stopFailure_inUpdate_isRolledBack_differsFromKantoWhichRestoresNothing() {
        h.existing("a", "registry.local/a:1", RestartPolicy.UNLESS_STOPPED);
        h.existing("b", "registry.local/b:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/a:2").withRegistryImage("registry.local/b:2");
        Map<String, String> before = h.snapshot();
        h.engine.failWhen("stop", "b"::equals, new EngineFailureException("cannot kill the process", null));
        identify("act-1", component("a", "2", "image", "registry.local/a:2"),
                component("b", "2", "image", "registry.local/b:2"));
        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);

        Messages.Feedback failure = run("act-1", "UPDATE", FeedbackStatus.UPDATE_FAILURE);
        assertThat(failure.actionStatuses()).containsExactly("UPDATE_SUCCESS", "UPDATE_FAILURE");
        assertThat(failure.actionMessages().get(1)).isEqualTo("cannot kill the process");
        h.awaitStatus("act-1", FeedbackStatus.ROLLBACK_SUCCESS);
        run("act-1", "CLEANUP", FeedbackStatus.INCOMPLETE);

        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void s7_39_startFailure_inActivate_isRolledBack_differsFromKantoWhichKeepsBothInstances() {
        h.existing("a", "registry.local/a:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/a:2");
        Map<String, String> before = h.snapshot();
        h.engine.failNth("start", 1, new EngineFailureException("port is already allocated", null));
        identify("act-1", component("a", "2", "image", "registry.local/a:2"));
        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        run("act-1", "UPDATE", FeedbackStatus.UPDATE_SUCCESS);

        assertThat(run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_FAILURE).actionMessages())
                .containsExactly("port is already allocated");
        h.awaitStatus("act-1", FeedbackStatus.ROLLBACK_SUCCESS);
        // ROLLBACK is allowed after ACTIVATION_FAILURE; everything is already rolled back
        run("act-1", "ROLLBACK", FeedbackStatus.ROLLBACK_SUCCESS);
        run("act-1", "CLEANUP", FeedbackStatus.INCOMPLETE);

        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void s7_40_commandsOutOfOrder_failWithKantosPreconditionMessages_andChangeNothing() {
        h.fake.withRegistryImage("registry.local/a:1");
        identify("act-1", component("a", "1", "image", "registry.local/a:1"));

        assertThat(run("act-1", "UPDATE", FeedbackStatus.UPDATE_FAILURE).message())
                .isEqualTo("UPDATE is possible only after status DOWNLOAD_SUCCESS is reported");
        assertThat(run("act-1", "ACTIVATE", FeedbackStatus.ACTIVATION_FAILURE).message())
                .isEqualTo("ACTIVATE is possible only after status UPDATE_SUCCESS is reported");
        assertThat(h.fake.list()).isEmpty();
        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        assertThat(run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_FAILURE).message())
                .isEqualTo("DOWNLOAD is possible only after status IDENTIFIED is reported");
        assertThat(h.fake.list()).hasSize(1);
    }

    @Test
    void s7_41_rollbackRightAfterIdentified_failsWithKantosMessage() {
        h.fake.withRegistryImage("registry.local/a:1");
        identify("act-1", component("a", "1", "image", "registry.local/a:1"));

        assertThat(run("act-1", "ROLLBACK", FeedbackStatus.ROLLBACK_FAILURE).message()).isEqualTo(
                "ROLLBACK is possible only after status DOWNLOAD_SUCCESS|UPDATE_SUCCESS|ACTIVATION_FAILURE"
                        + "|ACTIVATION_SUCCESS is reported");
    }

    @Test
    void s7_42_commandsForAnotherActivity_unknownCommands_andCommandsWithoutOperation_areIgnored() {
        h.fake.withRegistryImage("registry.local/a:1");
        h.start();
        h.command("act-0", "DOWNLOAD");
        h.send(desired("act-1", component("a", "1", "image", "registry.local/a:1")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);
        h.command("act-other", "DOWNLOAD");
        h.command("act-1", "DO");
        h.transport.deliver(Harness.COMMAND, Messages.command("act-1", "download", ""));

        // a command that answers proves the ones before it were handled (one owner thread, in order)
        run("act-1", "UPDATE", FeedbackStatus.UPDATE_FAILURE);
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "UPDATE_FAILURE");
        assertThat(h.feedback("act-0")).isEmpty();
        assertThat(h.feedback("act-other")).isEmpty();
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void s7_43_unknownBaseline_failsWithKantosMessage_andEchoesTheBaseline() {
        h.fake.withRegistryImage("registry.local/a:1");
        identify("act-1", component("a", "1", "image", "registry.local/a:1"));

        h.command("act-1", "DOWNLOAD", "b-x");
        Messages.Feedback download = h.awaitStatus("act-1", FeedbackStatus.DOWNLOAD_FAILURE);
        h.command("act-1", "CLEANUP", "b-x");
        Messages.Feedback cleanup = h.awaitStatus("act-1", FeedbackStatus.CLEANUP);

        assertThat(download.payload().baseline()).isEqualTo("b-x");
        assertThat(download.message()).isEqualTo("Unknown baseline b-x");
        assertThat(cleanup.payload().baseline()).isEqualTo("b-x");
        assertThat(cleanup.message()).isEqualTo("Unknown baseline b-x");
        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void s7_44_cleanupRightAfterIdentified_endsIncomplete_withoutChangingAnything() {
        ContainerId id = h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        Map<String, String> before = h.snapshot();
        identify("act-1", component("db", "1", "image", "registry.local/db:1"));

        run("act-1", "CLEANUP", FeedbackStatus.INCOMPLETE);
        h.command("act-1", "DOWNLOAD");
        h.send(desired("probe", component("web", "1", "image", "registry.local/web:1")));
        h.awaitStatus("probe", FeedbackStatus.IDENTIFIED);

        assertThat(statusesAfter("act-1", 2)).containsExactly("CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(h.snapshot()).isEqualTo(before);
        assertThat(h.container("web").id()).isEqualTo(id);
    }

    @Test
    void s7_45_rollbackAfterDownload_removesTheNewContainer_withKantosMessages() {
        h.fake.withRegistryImage("registry.local/a:1");
        identify("act-1", component("a", "1", "image", "registry.local/a:1"));
        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);
        assertThat(h.fake.list()).hasSize(1);

        Messages.Feedback rolledBack = run("act-1", "ROLLBACK", FeedbackStatus.ROLLBACK_SUCCESS);
        List<Messages.Feedback> all = h.feedback("act-1");
        Messages.Feedback rollback = all.get(all.size() - 2);
        assertThat(rollback.status()).isEqualTo("ROLLBACK");
        assertThat(rollback.actionStatuses()).containsExactly("UPDATING");
        assertThat(rolledBack.actionStatuses()).containsExactly("UPDATE_FAILURE");
        assertThat(rolledBack.actionMessages()).containsExactly(
                "Update unsuccessful, but rollback succeeded - new container instance destroyed.");
        assertThat(h.fake.list()).isEmpty();
        run("act-1", "CLEANUP", FeedbackStatus.INCOMPLETE);
        assertThat(statusesAfter("act-1", h.statuses("act-1").size() - 2)).containsExactly("CLEANUP_SUCCESS",
                "INCOMPLETE");
    }

    @Test
    void s7_46_rollbackAfterDownload_ofARecreate_keepsTheRunningOldContainer_differsFromKantoWhichFails() {
        ContainerId old = h.existing("a", "registry.local/a:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/a:2");
        identify("act-1", component("a", "2", "image", "registry.local/a:2"));
        run("act-1", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);

        Messages.Feedback rolledBack = run("act-1", "ROLLBACK", FeedbackStatus.ROLLBACK_SUCCESS);

        assertThat(rolledBack.actionMessages()).containsExactly("Update unsuccessful, but rollback succeeded - new"
                + " container instance destroyed, old container instance restored.");
        assertThat(h.fake.list()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(old);
            assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
        });
    }

    @Test
    void s7_48_perBaselineDriving_endsWhenTheLastBaselineIsCleaned() {
        h.existing("old", "registry.local/old:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withRegistryImage("registry.local/web:1").withRegistryImage("registry.local/db:1");
        h.start();
        h.send(desired("act-1", List.of(new WireBaseline("B1", "", List.of("containers:web", "other:x"))), List.of(),
                component("web", "1", "image", "registry.local/web:1"),
                component("db", "1", "image", "registry.local/db:1")));
        h.awaitStatus("act-1", FeedbackStatus.IDENTIFIED);

        for (String baseline : List.of("B1", "containers:db", "containers:remove-components")) {
            for (String command : List.of("DOWNLOAD", "UPDATE", "ACTIVATE", "CLEANUP")) {
                int before = h.feedback("act-1").size();
                h.command("act-1", command, baseline);
                h.awaitFeedbackCount("act-1", before + 1);
                FeedbackStatus expected = switch (command) {
                    case "DOWNLOAD" -> FeedbackStatus.DOWNLOAD_SUCCESS;
                    case "UPDATE" -> FeedbackStatus.UPDATE_SUCCESS;
                    case "ACTIVATE" -> FeedbackStatus.ACTIVATION_SUCCESS;
                    default -> FeedbackStatus.CLEANUP_SUCCESS;
                };
                Harness.await().until(() -> h.feedback("act-1").stream().skip(before)
                        .anyMatch(f -> f.status().equals(expected.name()) && f.payload().baseline().equals(baseline)));
            }
            if (!baseline.endsWith("remove-components")) {
                assertThat(h.statuses("act-1")).doesNotContain("COMPLETED");
            }
        }
        Messages.Feedback end = h.awaitStatus("act-1", FeedbackStatus.COMPLETED);

        assertThat(h.feedback("act-1")).allSatisfy(f -> {
            if (!f.status().equals("IDENTIFYING")) {
                assertThat(f.payload().actions()).hasSize(3);
            }
        });
        assertThat(end.actionStatuses()).containsExactly("ACTIVATION_SUCCESS", "ACTIVATION_SUCCESS",
                "REMOVAL_SUCCESS");
        assertThat(h.snapshot().keySet()).containsExactly("db", "web");
    }

    @Test
    void s7_51_newDesiredState_whileOneWaitsForCommands_rollsTheFirstBack_differsFromKantoWhichIsSilent() {
        h.fake.withRegistryImage("registry.local/a:1").withRegistryImage("registry.local/b:1");
        h.start();
        h.send(desired("act-A", component("a", "1", "image", "registry.local/a:1")));
        h.awaitStatus("act-A", FeedbackStatus.IDENTIFIED);
        run("act-A", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);

        h.send(desired("act-B", component("b", "1", "image", "registry.local/b:1")));
        h.awaitStatus("act-B", FeedbackStatus.IDENTIFIED);
        h.command("act-A", "UPDATE");
        run("act-B", "DOWNLOAD", FeedbackStatus.DOWNLOAD_SUCCESS);

        Messages.Feedback endA = h.last("act-A");
        assertThat(endA.status()).isEqualTo("INCOMPLETE");
        assertThat(endA.message()).isEqualTo("Superseded by activity act-B.");
        assertThat(h.statuses("act-A")).doesNotContain("UPDATE_SUCCESS", "UPDATE_FAILURE");
        assertThat(h.statuses("act-A").subList(4, h.statuses("act-A").size())).containsExactly("ROLLBACK",
                "ROLLBACK_SUCCESS", "CLEANUP_SUCCESS", "INCOMPLETE");
        assertThat(h.fake.list()).extracting(Container::name).extracting(Object::toString).containsExactly("b");
    }

    @Test
    void failedOperation_waitingForCleanup_whenSuperseded_namesTheNewActivity() {
        h.fake.withRegistryImage("registry.local/b:1");
        identify("act-A", component("a", "1", "image", "registry.local/missing:1"));
        run("act-A", "DOWNLOAD", FeedbackStatus.DOWNLOAD_FAILURE);

        h.send(desired("act-B", component("b", "1", "image", "registry.local/b:1")));
        h.awaitStatus("act-B", FeedbackStatus.IDENTIFIED);

        Messages.Feedback endA = h.last("act-A");
        assertThat(endA.status()).isEqualTo("INCOMPLETE");
        assertThat(endA.message()).startsWith("DOWNLOAD_FAILURE of containers:a: ")
                .endsWith("; Superseded by activity act-B.");
    }

    @Test
    void phaseCommand_afterAFailure_isRefused_andTheAllBaselineEchoesStar() {
        h.fake.withRegistryImage("registry.local/a:1");
        identify("act-1", component("a", "1", "image", "registry.local/a:1"),
                component("b", "1", "image", "registry.local/missing:1"));
        h.command("act-1", "DOWNLOAD", "*");
        Messages.Feedback failure = h.awaitStatus("act-1", FeedbackStatus.DOWNLOAD_FAILURE);
        assertThat(failure.payload().baseline()).isEqualTo("*");
        h.awaitStatus("act-1", FeedbackStatus.ROLLBACK_SUCCESS);

        h.command("act-1", "DOWNLOAD", "containers:a");
        Messages.Feedback refused = h.awaitStatus("act-1", FeedbackStatus.DOWNLOAD_FAILURE);
        Harness.await().until(() -> h.last("act-1").payload().baseline().equals("containers:a"));

        assertThat(h.last("act-1").message()).startsWith("DOWNLOAD is not possible: the operation failed and was"
                + " rolled back");
        assertThat(refused).isNotNull();
        assertThat(h.fake.list()).isEmpty();
    }
}

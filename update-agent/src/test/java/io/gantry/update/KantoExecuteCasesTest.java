package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.container.StopOptions;
import io.gantry.core.golden.KantoCases;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.WireAction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kanto's multi-container update scenario ({@code kanto-cases/kanto-cm/cua-unit.json}, {@code execute}: TestExecute)
 * replayed command by command in orchestrated mode: every feedback message, its status and the status (and, where
 * Kanto has one, the message) of each action it changes. One difference is Gantry's on purpose (docs/update-agent.md):
 * a failed phase is rolled back at once, so {@code ROLLBACK} and {@code ROLLBACK_SUCCESS} follow the failure.
 */
class KantoExecuteCasesTest {

    private static final JsonNode CASES = KantoCases.read("kanto-cm/cua-unit.json").path("execute");
    private static final String ACTIVITY = "kanto-execute";
    /** Gantry's own statuses after a failure (the immediate rollback); not in Kanto's sequence. */
    private static final Set<String> ROLLBACK = Set.of("ROLLBACK", "ROLLBACK_SUCCESS");

    @TempDir
    Path stateDir;
    private Harness h;

    @AfterEach
    void stop() {
        h.close();
    }

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        CASES.path("runs").fields().forEachRemaining(e -> runs.add(Arguments.of(e.getKey(), e.getValue())));
        return runs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void run_givesKantosFeedback_messageByMessage(String name, JsonNode run) {
        h = new Harness(stateDir, Harness.orchestrated());
        setUp(run.path("missing_image").asText(""));
        h.start();
        h.send(Messages.envelope(ACTIVITY, CASES.path("desired")));
        Messages.Feedback identified = h.awaitStatus(ACTIVITY, FeedbackStatus.IDENTIFIED);

        List<String[]> expected = new ArrayList<>();
        CASES.path("identified").forEach(a -> expected.add(new String[] {a.path("status").asText(),
                a.path("message").asText()}));
        assertActions(identified, expected, "IDENTIFIED");
        String baseline = run.path("baseline").asText();
        for (JsonNode command : run.path("commands")) {
            int before = h.feedback(ACTIVITY).size();
            h.command(ACTIVITY, command.path("command").asText(), baseline);
            JsonNode feedback = command.path("feedback");
            if (feedback.isEmpty()) {
                // an unknown command: Kanto publishes nothing; a probe shows the agent went past it
                h.command(ACTIVITY, "NOPE", baseline);
                assertThat(h.feedback(ACTIVITY)).hasSize(before);
                continue;
            }
            String lastStatus = feedback.get(feedback.size() - 1).path("status").asText();
            h.awaitStatus(ACTIVITY, FeedbackStatus.valueOf(lastStatus));
            if (lastStatus.endsWith("_FAILURE")) {
                h.awaitStatus(ACTIVITY, FeedbackStatus.ROLLBACK_SUCCESS);
            }
            List<Messages.Feedback> published = h.feedback(ACTIVITY).subList(before, h.feedback(ACTIVITY).size())
                    .stream().filter(f -> !ROLLBACK.contains(f.status())).toList();
            assertThat(published).extracting(Messages.Feedback::status).as(command.path("command").asText())
                    .containsExactlyElementsOf(statuses(feedback));
            for (int i = 0; i < feedback.size(); i++) {
                for (JsonNode set : feedback.get(i).path("set")) {
                    expected.set(set.get(0).asInt(), new String[] {set.get(1).asText(), set.get(2).asText()});
                }
                assertActions(published.get(i), expected, command.path("command").asText() + " #" + i);
            }
            if (lastStatus.endsWith("_FAILURE")) {
                // Differs on purpose: what the failed phase created is removed at once, and its action says so;
                // Kanto leaves the created container (and its DOWNLOAD_SUCCESS) behind for CLEANUP to ignore.
                Messages.Feedback rolledBack = h.awaitStatus(ACTIVITY, FeedbackStatus.ROLLBACK_SUCCESS);
                for (int i = 0; i < expected.size(); i++) {
                    WireAction a = rolledBack.payload().actions().get(i);
                    if (expected.get(i)[0].equals("DOWNLOAD_SUCCESS")) {
                        assertThat(a.status()).isEqualTo("UPDATE_FAILURE");
                        assertThat(a.message()).contains("rollback succeeded");
                    }
                    expected.set(i, new String[] {a.status(), a.message()});
                }
                assertThat(h.fake.list()).noneMatch(c -> c.name().value().contains(".gantry-new"));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void applyNoDesiredContainers_withoutAndWithAContainer_isKantos() {
        JsonNode c = KantoCases.read("kanto-cm/cua-unit.json").path("apply_no_desired_containers");
        h = new Harness(stateDir, Harness.orchestrated()).start();
        h.send(Messages.envelope("empty-1", c.path("desired")));
        h.awaitEnd("empty-1");
        assertThat(h.statuses("empty-1")).containsExactlyElementsOf(KantoCases.texts(c.path("without_containers")
                .path("feedback")));
        assertThat(h.feedback("empty-1")).allMatch(f -> f.payload().actions().isEmpty());

        JsonNode with = c.path("with_container");
        JsonNode current = with.path("current").get(0);
        h.existing(current.path("name").asText(), current.path("image").asText(), RestartPolicy.UNLESS_STOPPED);
        h.send(Messages.envelope("empty-2", c.path("desired")));
        Messages.Feedback identified = h.awaitStatus("empty-2", FeedbackStatus.IDENTIFIED);

        assertThat(h.statuses("empty-2")).containsExactlyElementsOf(KantoCases.texts(with.path("feedback")));
        assertSameActions(identified, with.path("actions"));
    }

    @org.junit.jupiter.api.Test
    void applyWithDesiredContainers_leavesTheSystemContainer_andIsKantos() {
        JsonNode c = KantoCases.read("kanto-cm/cua-unit.json").path("apply_with_desired_containers");
        List<String> system = new ArrayList<>();
        c.path("current").forEach(ctr -> {
            if (ctr.path("system").asBoolean()) {
                system.add(ctr.path("name").asText());
            }
        });
        h = new Harness(stateDir, new io.gantry.config.UpdateAgentConfig(true, "orchestrated", "containers", system,
                false, java.time.Duration.ZERO, java.time.Duration.ZERO));
        c.path("current").forEach(ctr -> h.existing(ctr.path("name").asText(), ctr.path("image").asText(),
                RestartPolicy.UNLESS_STOPPED));
        h.fake.withRegistryImage("test-container:1.2.3");
        h.start();
        h.send(Messages.envelope("with-1", c.path("desired")));
        Messages.Feedback identified = h.awaitStatus("with-1", FeedbackStatus.IDENTIFIED);

        assertThat(h.statuses("with-1")).containsExactlyElementsOf(KantoCases.texts(c.path("feedback")));
        assertSameActions(identified, c.path("actions"));
    }

    private static void assertSameActions(Messages.Feedback feedback, JsonNode kanto) {
        List<String> expected = new ArrayList<>();
        kanto.forEach(a -> expected.add(a.path("component").path("id").asText() + " "
                + a.path("component").path("version").asText() + " " + a.path("status").asText() + " "
                + a.path("message").asText()));
        assertThat(feedback.payload().actions()).extracting(a -> a.component().id() + " " + a.component().version()
                + " " + a.status() + " " + a.message()).containsExactlyElementsOf(expected);
    }

    /** Kanto's current containers, all made by an earlier desired state, in their run states. */
    private void setUp(String missingImage) {
        for (JsonNode c : CASES.path("current")) {
            ContainerId id = h.existing(c.path("name").asText(), c.path("image").asText(), RestartPolicy.UNLESS_STOPPED);
            switch (c.path("state").asText()) {
                case "paused" -> h.fake.pause(id);
                case "stopped" -> h.fake.stop(id, StopOptions.DEFAULT);
                default -> { }
            }
        }
        // The images the desired state adds (<id>:<version>, §2.3), but the one the run says is missing.
        for (JsonNode component : CASES.path("desired").path("domains").get(0).path("components")) {
            String image = component.path("id").asText() + ":" + component.path("version").asText();
            if (!image.equals(missingImage)) {
                h.fake.withRegistryImage(image);
            }
        }
    }

    private static List<String> statuses(JsonNode feedback) {
        List<String> out = new ArrayList<>();
        feedback.forEach(f -> out.add(f.path("status").asText()));
        return out;
    }

    /** Every action has Kanto's status, and Kanto's message where Kanto gives one. */
    private static void assertActions(Messages.Feedback feedback, List<String[]> expected, String where) {
        List<WireAction> actions = feedback.payload().actions();
        assertThat(actions).as(where).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actions.get(i).status()).as(where + " action " + i).isEqualTo(expected.get(i)[0]);
            if (!expected.get(i)[1].isEmpty() && !expected.get(i)[1].startsWith("<")) {
                assertThat(actions.get(i).message()).as(where + " action " + i).isEqualTo(expected.get(i)[1]);
            }
        }
    }
}

package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.golden.KantoCases;
import io.gantry.update.protocol.FeedbackStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kanto's update-manager cases ({@code kanto-cases/kanto-um/}): a holistic desired state of several domains is
 * refused as the containers agent refuses it, and the part the update manager splits off for containers is
 * identified and driven baseline by baseline, with Kanto's feedback for each.
 */
class KantoUpdateManagerCasesTest {

    private static final JsonNode EXPECTED = KantoCases.read("kanto-um/expectations.json");

    @TempDir
    Path stateDir;
    private Harness h;

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void wholeDesiredStates_ofSeveralDomains_areRefusedWithKantosMessage() {
        h = new Harness(stateDir, Harness.orchestrated()).start();
        int n = 0;
        for (Map.Entry<String, JsonNode> file : fields(EXPECTED.path("whole"))) {
            JsonNode content = KantoCases.read("kanto-um/" + file.getKey());
            JsonNode payload = content.has("payload") ? content.path("payload") : content;
            String activity = "whole-" + n++;
            h.send(Messages.envelope(activity, payload));

            assertThat(h.awaitEnd(activity).status()).isEqualTo(file.getValue().path("status").asText());
            assertThat(h.last(activity).message()).isEqualTo(file.getValue().path("message").asText());
        }
    }

    @Test
    void containersPart_isIdentified_andDrivenBaselineByBaseline_asKanto() {
        JsonNode split = EXPECTED.path("split_for_containers");
        h = new Harness(stateDir, Harness.orchestrated());
        h.fake.withRegistryImage("container-registry.io/xyz:1.2.3").withRegistryImage("container-registry.io/abc:4.5.6");
        h.start();
        h.send(Messages.envelope("um", split.path("payload")));
        Messages.Feedback identified = h.awaitStatus("um", FeedbackStatus.IDENTIFIED);

        List<String> expected = new ArrayList<>();
        split.path("identified").forEach(a -> expected.add(a.path("component").path("id").asText() + " "
                + a.path("status").asText() + " " + a.path("message").asText()));
        assertThat(identified.payload().actions()).extracting(a -> a.component().id() + " " + a.status() + " "
                + a.message()).containsExactlyElementsOf(expected);

        JsonNode perBaseline = split.path("kanto_per_baseline_feedback");
        for (JsonNode baseline : split.path("baselines_in_order")) {
            String title = baseline.asText();
            JsonNode index = split.path("per_baseline").path(title).path("index");
            JsonNode phases = perBaseline.path(index.isNull() ? "empty baseline" : "create baseline");
            for (Map.Entry<String, JsonNode> phase : fields(phases)) {
                int before = h.feedback("um").size();
                h.command("um", phase.getKey(), title);
                JsonNode steps = phase.getValue();
                h.awaitFeedbackCount("um", before + steps.size());
                List<Messages.Feedback> published = h.feedback("um").subList(before, before + steps.size());
                for (int i = 0; i < steps.size(); i++) {
                    JsonNode step = steps.get(i);
                    Messages.Feedback f = published.get(i);
                    assertThat(f.status()).as(title + " " + phase.getKey()).isEqualTo(step.get(0).asText());
                    assertThat(f.json().path("payload").path("baseline").asText()).isEqualTo(title);
                    if (!step.get(1).isNull()) {
                        assertThat(f.payload().actions().get(index.asInt()).status()).isEqualTo(step.get(1).asText());
                    }
                    if (!step.get(2).isNull() && !step.get(2).asText().isEmpty()) {
                        assertThat(f.payload().actions().get(index.asInt()).message()).isEqualTo(step.get(2).asText());
                    }
                }
            }
        }
        // after the last CLEANUP
        assertThat(h.awaitEnd("um").status()).isEqualTo("COMPLETED");
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        object.fields().forEachRemaining(out::add);
        return out;
    }
}

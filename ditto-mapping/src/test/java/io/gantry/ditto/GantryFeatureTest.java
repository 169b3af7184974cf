package io.gantry.ditto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.ThingsConfig;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.policy.Refusal;
import io.gantry.core.time.TimeSync;
import java.time.Instant;
import java.util.Optional;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gantry's own feature: only when listed, with the clock's "time good" status as its {@code timeSync} property. */
class GantryFeatureTest {

    private static final String FEATURE = "/features/Gantry";
    private static final String PROPERTY = FEATURE + "/properties/timeSync";

    @TempDir
    Path stateDir;
    private TwinHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    private TwinHarness harness(ThingsConfig things) {
        harness = new TwinHarness(stateDir, things);
        return harness;
    }

    @Test
    void byDefault_theTwinHasNoGantryFeature_soKantosRegistrationIsUnchanged() {
        TwinHarness h = harness(ThingsConfig.DEFAULTS);
        h.twin.timeSync(TimeSync.notSynchronised("timedatectl: NTPSynchronized=no"));
        h.started();
        h.twin.timeSync(TimeSync.synchronised("timedatectl: NTPSynchronized=yes"));

        assertThat(h.events()).extracting(e -> e.path("path").asText()).noneMatch(p -> p.startsWith(FEATURE));
    }

    @Test
    void listed_theRegistrationCarriesTheStatusKnownBefore() {
        TwinHarness h = harness(TwinHarness.features("ContainerFactory", "Gantry"));
        h.twin.timeSync(TimeSync.notSynchronised("/host/.time-status is empty"));

        h.started();

        List<JsonNode> registration = h.eventsAt(FEATURE);
        assertThat(registration).hasSize(1);
        JsonNode value = registration.get(0).path("value");
        assertThat(value.path("definition").get(0).asText()).isEqualTo("io.gantry:Gantry:1.0.0");
        assertThat(value.path("properties").path("timeSync").toString())
                .isEqualTo("{\"synchronised\":false,\"source\":\"/host/.time-status is empty\"}");
    }

    @Test
    void aChange_isPublishedAsTheProperty_andARepeatIsNot() {
        TwinHarness h = harness(TwinHarness.features("Gantry")).started();

        h.twin.timeSync(TimeSync.synchronised("/run/systemd/timesync/synchronized"));
        h.twin.timeSync(TimeSync.synchronised("/run/systemd/timesync/synchronized"));
        h.twin.timeSync(TimeSync.unknown("no source"));

        assertThat(h.eventsAt(PROPERTY)).extracting(e -> e.path("value").toString()).containsExactly(
                "{\"synchronised\":true,\"source\":\"/run/systemd/timesync/synchronized\"}",
                "{\"synchronised\":null,\"source\":\"no source\"}");
    }

    @Test
    void recentRefusals_areInTheRegistration_andEachChangeIsPublishedAsTheProperty() {
        TwinHarness h = harness(TwinHarness.features("Gantry"));
        Refusal first = new Refusal(Instant.parse("2026-12-05T10:00:00Z"), CreationOrigin.CLI, "policy.privileged",
                "app:1", Optional.empty(), "web", Refusal.REFUSED,
                "refused by policy.privileged: the container asks to be privileged (image app:1)");
        h.twin.refusals(() -> List.of(first));
        h.started();
        assertThat(h.eventsAt(FEATURE).get(0).path("value").path("properties").path("recentRefusals").toString())
                .isEqualTo("[{\"time\":\"2026-12-05T10:00:00Z\",\"path\":\"cli\",\"rule\":\"policy.privileged\","
                        + "\"image\":\"app:1\",\"subject\":\"web\",\"action\":\"refused\",\"message\":"
                        + "\"refused by policy.privileged: the container asks to be privileged (image app:1)\"}]");

        Refusal second = new Refusal(Instant.parse("2026-12-05T10:01:00Z"), Refusal.UNMANAGED, "trust.allowlist",
                "other:2", Optional.of("sha256:" + "a".repeat(64)), "byhand", Refusal.STOPPED, "stopped");
        h.twin.refusals(() -> List.of(second, first));
        h.twin.refusals(() -> List.of(second, first));

        List<JsonNode> changes = h.eventsAt(FEATURE + "/properties/recentRefusals");
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).path("value")).hasSize(2);
        assertThat(changes.get(0).path("value").get(0).path("digest").asText()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(changes.get(0).path("value").get(0).path("action").asText()).isEqualTo("stopped");
    }

    @Test
    void droppedFromTheList_theFeatureIsDeleted() {
        TwinHarness h = harness(TwinHarness.features("Metrics", "Gantry")).started();

        h.twin.applyConfig(TwinHarness.config(TwinHarness.features("Metrics")));
        h.twin.timeSync(TimeSync.synchronised("chronyc: Leap status Normal"));

        assertThat(h.eventsAt(FEATURE)).extracting(e -> e.path("topic").asText())
                .containsExactly(TwinHarness.P + "/things/twin/commands/modify",
                        TwinHarness.P + "/things/twin/commands/delete");
        assertThat(h.eventsAt(PROPERTY)).isEmpty();
    }
}

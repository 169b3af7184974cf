package io.gantry.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.status.LiveStatus;
import io.gantry.config.AgentConfig;
import io.gantry.core.policy.CreationOrigin;
import io.gantry.core.policy.RecentRefusals;
import io.gantry.core.policy.Refusal;
import io.gantry.core.time.TimeSync;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dashboard's status carries the agent's recent refusals, newest first, and none when there are none. */
class StatusViewTest {

    @Test
    void theRecentRefusals_areInTheStatus_asTheRecorderHoldsThem() {
        RecentRefusals refusals = new RecentRefusals();
        StatusView status = new StatusView(new StatusView.Sources(LiveStatus::ofThisProcess,
                () -> TimeSync.unknown("test"), () -> AgentConfig.DEFAULTS, Optional::empty, new UpdateFeed(),
                refusals::recent));
        assertThat(status.json().path("refusals").isArray()).isTrue();
        assertThat(status.json().path("refusals")).isEmpty();

        refusals.record(new Refusal(Instant.parse("2026-12-05T10:00:00Z"), CreationOrigin.DESCRIPTOR_FILE,
                "policy.devices", "app:1", Optional.empty(), "web.json", Refusal.REFUSED,
                "refused by policy.devices: the container asks for host device /dev/ttyS0 (image app:1)"));
        refusals.record(new Refusal(Instant.parse("2026-12-05T10:01:00Z"), Refusal.UNMANAGED, "trust.allowlist",
                "other:2", Optional.of("sha256:" + "c".repeat(64)), "byhand", Refusal.STOPPED, "stopped it"));

        JsonNode shown = status.json().path("refusals");
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).toString()).isEqualTo("{\"time\":\"2026-12-05T10:01:00Z\",\"path\":\"unmanaged\","
                + "\"rule\":\"trust.allowlist\",\"image\":\"other:2\",\"subject\":\"byhand\",\"action\":\"stopped\","
                + "\"message\":\"stopped it\",\"digest\":\"sha256:" + "c".repeat(64) + "\"}");
        assertThat(shown.get(1).path("path").asText()).isEqualTo("descriptor file");
        assertThat(shown.get(1).path("digest").isNull()).isTrue();
    }
}

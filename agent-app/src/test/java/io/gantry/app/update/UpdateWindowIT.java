package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.UpdateFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An update window that opens during the test, end to end: a real agent, Mosquitto and Docker engine (the test's
 * own); a desired state sent before the window opens waits (feedback and current state say so), survives a restart of
 * the agent while it waits, and is carried out by the restarted agent's own timer when the window opens.
 */
class UpdateWindowIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @Test
    void aDesiredStateBeforeTheWindow_waits_andIsCarriedOutWhenTheWindowOpens() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime opens = now.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        if (Duration.between(now, opens).toSeconds() < 25) { // time for a restart before it opens
            opens = opens.plusMinutes(1);
        }
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String window = "* " + hhmm.format(opens) + "-" + hhmm.format(opens.plusMinutes(30));
        String windows = "\"windows\": {\"open\": [\"" + window + "\"], \"zone\": \"UTC\"}";
        fixture.startAgent(windows, "");

        String activity = fixture.send(payload(component("waiter", "1", "image", APP_1)));

        String message = fixture.await(activity, "IDENTIFYING").path("message").asText();
        assertThat(message).isEqualTo("Waiting for the update window " + window + " (UTC): carried out at "
                + opens.toInstant() + ", or at once when a desired state marked urgent replaces it.");
        fixture.probe().await(UpdateFixture.OPERATION, r -> r.topic().equals(UpdateFixture.CURRENT)
                && r.payload().contains("\"key\":\"waitingActivity\",\"value\":\"" + activity + "\""));
        assertThat(Instant.now()).isBefore(opens.toInstant());
        assertThat(fixture.engine().names()).doesNotContain("waiter");

        fixture.startAgent(windows, ""); // a restart while it waits: the journaled desired state waits again
        fixture.await(activity, "IDENTIFYING");
        assertThat(Instant.now()).isBefore(opens.toInstant());

        fixture.probe().await(Duration.ofMinutes(3), r -> r.topic().equals(UpdateFixture.FEEDBACK)
                && r.payload().contains(activity) && r.payload().contains("\"status\":\"COMPLETED\""));

        assertThat(Instant.now()).isAfterOrEqualTo(opens.toInstant());
        assertThat(fixture.engine().names()).contains("waiter");
        assertThat(fixture.statuses(activity)).startsWith("IDENTIFYING", "IDENTIFYING", "IDENTIFIED");
        assertThat(fixture.dir().resolve("state/update-agent/waiting.json")).doesNotExist();
    }
}

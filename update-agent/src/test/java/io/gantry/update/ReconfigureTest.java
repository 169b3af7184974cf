package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.RestartPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A changed configuration applies to the next operation; a changed domain moves the agent to its topics. */
class ReconfigureTest extends AgentTest {

    @Test
    void reconfigure_newSystemContainers_protectThemFromTheNextDesiredState() {
        h = new Harness(stateDir, Harness.auto());
        h.existing("sua", "registry.local/sua:1", RestartPolicy.UNLESS_STOPPED);
        h.start();
        h.agent.reconfigure(new UpdateAgentConfig(true, "auto", "containers", List.of("sua"), false, Duration.ZERO,
                Duration.ofSeconds(1)));
        h.send(desired("act-1"));

        assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
        assertThat(h.statuses("act-1")).containsExactly("IDENTIFYING", "IDENTIFIED", "COMPLETED");
        assertThat(h.snapshot()).containsKey("sua");
    }

    @Test
    void reconfigure_toOrchestrated_waitsForCommands() {
        h = new Harness(stateDir, Harness.auto());
        h.fake.withRegistryImage("registry.local/a:1");
        h.start();
        h.agent.reconfigure(Harness.orchestrated());
        h.send(desired("act-1", component("a", "1", "image", "registry.local/a:1")));
        h.awaitStatus("act-1", io.gantry.update.protocol.FeedbackStatus.IDENTIFIED);
        h.command("act-1", "ROLLBACK");
        h.awaitStatus("act-1", io.gantry.update.protocol.FeedbackStatus.ROLLBACK_FAILURE);

        assertThat(h.fake.list()).isEmpty();
    }

    @Test
    void reconfigure_newDomain_movesToItsTopics_andExpectsItsDomainId() {
        h = new Harness(stateDir, Harness.auto());
        h.start();
        h.agent.reconfigure(new UpdateAgentConfig(true, "auto", "my-ctrs", List.of(), false, Duration.ZERO,
                Duration.ofSeconds(1)));

        assertThat(h.transport.activeFilters()).containsExactlyInAnyOrder("myctrsupdate/desiredstate",
                "myctrsupdate/desiredstate/command", "myctrsupdate/currentstate/get");
        h.transport.deliver("myctrsupdate/desiredstate", desired("act-1"));
        Harness.await().until(() -> h.transport.publishedOn("myctrsupdate/desiredstatefeedback").size() == 1);
        assertThat(Messages.feedback(h.transport.publishedOn("myctrsupdate/desiredstatefeedback").get(0).payload())
                .message()).isEqualTo("domain id mismatch - expecting my-ctrs, received containers");
        Harness.await().until(() -> h.transport.publishedOn("myctrsupdate/currentstate").stream()
                .map(p -> Messages.currentState(p.payload()))
                .anyMatch(c -> c.payload().softwareNodes().get(0).id().equals("my-ctrs-update-agent")));
    }
}

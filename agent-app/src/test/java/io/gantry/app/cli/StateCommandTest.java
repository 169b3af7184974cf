package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PortMapping;
import io.gantry.update.UpdateAgent;
import io.gantry.update.protocol.UpdateTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry state} against a real update agent on the fake engine, on an in-memory broker. */
class StateCommandTest {

    private static final Clock AGENT_CLOCK = Clock.fixed(Instant.parse("2024-06-28T07:40:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final FakeContainerEngine fake = new FakeContainerEngine(AGENT_CLOCK)
            .withImage("registry.example.com/web:2").withImage("gantry-test/busybox:1");
    private final Loopback broker = new Loopback();
    private UpdateAgent agent;

    @BeforeEach
    void containersAndAgent() {
        ContainerId web = fake.create(ContainerSpec.builder(ImageRef.parse("registry.example.com/web:2"))
                .name(new ContainerName("web")).addPort(PortMapping.parse("8080:80")).build(), Map.of());
        fake.start(web);
        fake.addUnmanaged(ContainerSpec.builder(ImageRef.parse("gantry-test/busybox:1"))
                .name(new ContainerName("by-hand")).build());
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.stop();
        }
    }

    private void startAgent() {
        agent = new UpdateAgent(new UpdateAgentConfig(true, UpdateAgentConfig.AUTO, "containers", List.of(), false,
                Duration.ZERO, Duration.ofSeconds(2)), fake, broker, AGENT_CLOCK, dir.resolve("state"));
        agent.start();
    }

    private CliRun gantry(String... args) throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), "{}");
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.of(c -> fake, broker.factory(), Clock.systemUTC(), all);
    }

    @Test
    void state_printsEveryContainer_markingTheManagedOnes() throws IOException {
        startAgent();

        CliRun run = gantry("state");

        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("""
                NAME      VERSION   IMAGE                        STATUS    MANAGED   PORTS
                by-hand   1         gantry-test/busybox:1        Created   -
                web       2         registry.example.com/web:2   Running   yes       8080:80/tcp
                """);
        assertThat(broker.recording.publishedOn("containersupdate/currentstate/get")).hasSize(1);
    }

    @Test
    void state_outputJson_printsTheInventoryAsTheAgentSentIt() throws IOException {
        startAgent();

        CliRun run = gantry("state", "-o", "json");

        JsonNode inventory = new ObjectMapper().readTree(run.out());
        assertThat(inventory.path("softwareNodes").get(0).path("id").asText()).isEqualTo("containers-update-agent");
        assertThat(inventory.path("softwareNodes")).hasSize(3);
        assertThat(inventory.path("associations")).hasSize(2);
    }

    @Test
    void aDesiredStateWaitingForTheUpdateWindow_isPrintedUnderTheTable() throws IOException {
        UpdateTopics topics = UpdateTopics.of("containers");
        JsonNode inventory = new ObjectMapper().readTree(
                "{\"softwareNodes\":[{\"id\":\"" + topics.agentNodeId() + "\",\"parameters\":["
                        + "{\"key\":\"domain\",\"value\":\"containers\"},"
                        + "{\"key\":\"waitingActivity\",\"value\":\"act-1\"},"
                        + "{\"key\":\"waitingUntil\",\"value\":\"2026-12-07T02:00:00Z\"}]}]}");

        assertThat(StateCommand.waiting(inventory, topics)).contains(
                "Waiting for the update window: desired state act-1, carried out at 2026-12-07T02:00:00Z");
        assertThat(StateCommand.waiting(new ObjectMapper().readTree(
                "{\"softwareNodes\":[]}"), topics)).isEmpty();
    }

    @Test
    void state_withoutAnAgent_timesOut_withOneLine() throws IOException {
        CliRun run = gantry("state", "--timeout", "300ms");

        assertThat(run.exit()).isEqualTo(ExitCodes.TIMEOUT);
        assertThat(run.err()).isEqualTo("gantry: the update agent did not answer on containersupdate/currentstate"
                + " within 300ms (is it running, with update_agent.enable and domain containers?)\n");
    }
}

package io.gantry.ditto;

import static io.gantry.ditto.TwinHarness.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.config.ThingsConfig;
import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.transport.RecordingTransport;
import io.gantry.ditto.protocol.MqttTopics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The twin with its real executors: operations run on the command pool (never on the thread that delivered the
 * message), a slow operation on one container does not hold up another container's, and each reply is published
 * after the operation's effect on the engine.
 */
class ThreadingTest {

    @TempDir
    Path stateDir;
    private final ErrorLog errorLog = new ErrorLog();
    private final ExecutorService loop = Threads.single("gantry-twin");
    private final ExecutorService pool = Threads.pool("gantry-commands", 4);
    private final FakeContainerEngine fake = new FakeContainerEngine().withImage(TwinHarness.IMAGE);
    private final RecordingTransport transport = new RecordingTransport();
    private final TimelineTransport timeline = new TimelineTransport(transport);
    private final BlockingEngine engine = new BlockingEngine(fake, timeline.timeline);
    private DittoTwin twin;
    private ContainerId slow;
    private ContainerId quick;

    @BeforeEach
    void setUp() {
        slow = fake.create(ContainerSpec.builder(ImageRef.parse(TwinHarness.IMAGE)).name(new ContainerName("slow"))
                .build(), Map.of());
        fake.start(slow);
        quick = fake.create(ContainerSpec.builder(ImageRef.parse(TwinHarness.IMAGE)).name(new ContainerName("quick"))
                .build(), Map.of());
        twin = new DittoTwin(TwinHarness.config(ThingsConfig.DEFAULTS), engine, timeline, stateDir, loop,
                new KeyedExecutor(pool));
        twin.start();
        await().until(() -> transport.subscribeLog().contains("SUBSCRIBE edge/thing/response"));
        transport.deliver(MqttTopics.THING_RESPONSE, TwinHarness.RESPONSE);
        await().until(() -> transport.activeFilters().contains("command//" + T + "/req/#"));
    }

    @AfterEach
    void tearDown() {
        engine.release();
        twin.stop();
        Threads.shutdown(pool, 5);
        Threads.shutdown(loop, 5);
        errorLog.close();
        assertThat(errorLog.errors()).as("errors logged by Gantry").isEmpty();
        transport.published(p -> !p.topic().equals(MqttTopics.THING_REQUEST)).forEach(p -> DittoOracle.check(p.text()));
    }

    private void send(String requestId, ContainerId id, String operation) {
        transport.deliver("command//" + T + "/req/" + requestId + "/x", TwinHarness.envelope(operation,
                "/features/Container:" + id + "/inbox/messages/" + operation, null));
    }

    @Test
    void slowStopOfOneContainer_doesNotHoldUpAnother() throws InterruptedException {
        send("r-slow", slow, "stop");
        assertThat(engine.stopEntered.await(10, TimeUnit.SECONDS)).isTrue();

        send("r-quick", quick, "start");

        await().until(() -> !transport.publishedOn("command//" + T + "/res/r-quick/204").isEmpty());
        assertThat(transport.published(p -> p.topic().contains("/res/r-slow/"))).isEmpty();
        engine.release();
        await().until(() -> !transport.publishedOn("command//" + T + "/res/r-slow/204").isEmpty());
    }

    @Test
    void operationsRunOnTheCommandPool_andEachReplyFollowsItsEffect() {
        String deliveringThread = Thread.currentThread().getName();

        send("r1", quick, "start");

        await().until(() -> !transport.publishedOn("command//" + T + "/res/r1/204").isEmpty());
        assertThat(engine.threads).allSatisfy(t -> assertThat(t).startsWith("gantry-commands-"))
                .doesNotContain(deliveringThread);
        assertThat(timeline.timeline.indexOf("ENGINE start returned"))
                .isLessThan(timeline.timeline.indexOf("PUBLISH command//" + T + "/res/r1/204 start /features/Container:"
                        + quick + "/outbox/messages/start"));
        await().until(() -> timeline.timeline.stream().anyMatch(l -> l.endsWith("Container:" + quick
                + "/properties/status/state")));
    }

    @Test
    void oneContainersCommands_keepTheirOrder() {
        send("r1", quick, "start");
        send("r2", quick, "pause");
        send("r3", quick, "resume");

        await().until(() -> transport.published(p -> p.topic().contains("/res/")).size() == 3);
        assertThat(transport.published(p -> p.topic().contains("/res/")).stream().map(p -> p.topic()))
                .containsExactly("command//" + T + "/res/r1/204", "command//" + T + "/res/r2/204",
                        "command//" + T + "/res/r3/204");
    }

    @Test
    void dockerCliChanges_reachTheTwin() {
        fake.pause(slow);

        await().until(() -> timeline.timeline.stream().anyMatch(l -> l.endsWith("Container:" + slow
                + "/properties/status/state")));
    }
}

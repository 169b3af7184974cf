package io.gantry.core.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static io.gantry.core.twin.RecordingSink.tail;
import static org.awaitility.Awaitility.await;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.container.StopOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwinMirrorTest {

    private static final String IMAGE = "docker.io/library/influxdb:1.8.4";

    private final FakeContainerEngine engine = new FakeContainerEngine(
            Clock.fixed(Instant.parse("2024-06-28T07:35:21.123456789Z"), ZoneOffset.UTC)).withImage(IMAGE);
    private final RecordingSink sink = new RecordingSink();
    private TwinMirror underTest;

    @BeforeEach
    void setUp() {
        underTest = new TwinMirror(engine, sink, Runnable::run);
    }

    private ContainerId create(String name) {
        return engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName(name)).build(),
                Map.of());
    }

    @Test
    void start_existingContainers_handsSinkTheWholePicture() {
        ContainerId a = create("a");
        engine.start(a);
        ContainerId b = create("b");

        underTest.start();

        assertThat(sink.calls).containsExactly("replaceAll [" + tail(a) + "=RUNNING, " + tail(b) + "=CREATED]");
    }

    @Test
    void createEvent_reportsNewContainerAsCreated() {
        underTest.start();

        ContainerId id = create("web");

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [CREATED] CREATED");
        assertThat(sink.lastChanged.container().name().value()).isEqualTo("web");
    }

    @Test
    void start_reportsStateOnly() {
        ContainerId id = create("web");
        underTest.start();

        engine.start(id);

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] RUNNING");
    }

    @Test
    void stopFromOutside_killBeforeDie_reportsStoppedOnce() {
        ContainerId id = create("web");
        engine.start(id);
        underTest.start();
        sink.calls.clear();

        engine.stop(id, StopOptions.DEFAULT);

        // kill, die and stop events: the state changes once, to STOPPED.
        assertThat(sink.calls).containsExactly("changed " + tail(id) + " [STATE] STOPPED");
    }

    @Test
    void processEndsOnItsOwn_reportsExited() {
        ContainerId id = create("web");
        engine.start(id);
        underTest.start();

        engine.exit(id, 3);

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] EXITED");
        assertThat(sink.lastChanged.container().state().exitCode()).isEqualTo(3);
    }

    @Test
    void stoppedThenStartedThenExits_reportsExited_becauseStartForgetsTheKill() {
        ContainerId id = create("web");
        underTest.start();
        engine.start(id);
        engine.stop(id, StopOptions.DEFAULT);
        engine.start(id);

        engine.exit(id, 1);

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] EXITED");
    }

    @Test
    void resync_keepsTheStoppedKnowledge() {
        ContainerId id = create("web");
        underTest.start();
        engine.start(id);
        engine.stop(id, StopOptions.DEFAULT);

        underTest.resync();

        assertThat(sink.calls).last().isEqualTo("replaceAll [" + tail(id) + "=STOPPED]");
    }

    @Test
    void rename_reportsNameOnly() {
        ContainerId id = create("web");
        underTest.start();

        engine.rename(id, new ContainerName("web2"));

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [NAME] CREATED");
    }

    @Test
    void update_reportsConfig_andAnUpdateThatChangesNothingReportsNothing() {
        ContainerId id = create("web");
        underTest.start();

        engine.update(id, new ContainerUpdate(Optional.of(RestartPolicy.ALWAYS), Optional.empty()));
        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [CONFIG] CREATED");
        int before = sink.calls.size();

        engine.update(id, new ContainerUpdate(Optional.of(RestartPolicy.ALWAYS), Optional.empty()));

        assertThat(sink.calls).hasSize(before);
    }

    @Test
    void remove_reportsRemovedWithTheLastView() {
        ContainerId id = create("web");
        engine.start(id);
        underTest.start();

        engine.remove(id, true);

        assertThat(sink.calls).last().isEqualTo("removed " + tail(id));
        assertThat(sink.calls).filteredOn(c -> c.startsWith("removed")).hasSize(1);
        assertThat(sink.lastRemoved).get().extracting(TwinContainer::id).isEqualTo(id);
    }

    @Test
    void removeOfAContainerNeverSeen_reportsNothing() {
        underTest.start();
        sink.calls.clear();
        ContainerId id = engine.addUnmanaged(ContainerSpec.builder(ImageRef.parse(IMAGE)).buildAsReported());
        sink.calls.clear();
        underTest.stop();
        engine.remove(id, false);

        assertThat(sink.calls).isEmpty();
    }

    @Test
    void engineDownThenBack_rereadsEverything() {
        ContainerId id = create("web");
        underTest.start();
        engine.goDown();

        engine.comeBack();

        assertThat(sink.calls).containsExactly("replaceAll [" + tail(id) + "=CREATED]",
                "replaceAll [" + tail(id) + "=CREATED]");
    }

    @Test
    void engineDownAtStart_sinkGetsNothingUntilTheEngineIsBack() {
        engine.goDown();

        underTest.start();
        assertThat(sink.calls).isEmpty();
        engine.comeBack();

        assertThat(sink.calls).containsExactly("replaceAll []");
    }

    @Test
    void inspectFails_eventIsSkippedAndTheMirrorCarriesOn() {
        ContainerId id = create("web");
        underTest.start();
        engine.failNext(FakeContainerEngine.Op.INSPECT, new EngineUnavailableException("timeout", null));
        engine.start(id);

        engine.pause(id);

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] PAUSED");
    }

    @Test
    void sinkThrows_mirrorCarriesOn() {
        ContainerId id = create("web");
        underTest.start();
        sink.failWith = new IllegalStateException("boom");
        engine.start(id);
        sink.failWith = null;

        engine.pause(id);

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] PAUSED");
    }

    @Test
    void stop_noFurtherCalls() {
        ContainerId id = create("web");
        underTest.start();
        underTest.stop();
        int before = sink.calls.size();

        engine.start(id);
        underTest.resync();

        assertThat(sink.calls).hasSize(before);
    }

    @Test
    void realLoop_sinkIsCalledOnTheTwinThreadOnly() {
        ExecutorService loop = Threads.single("gantry-twin");
        try {
            TwinMirror mirror = new TwinMirror(engine, sink, loop);
            mirror.start();
            await().until(() -> sink.calls.size() == 1);
            ContainerId id = create("web");
            engine.start(id);
            engine.stop(id, StopOptions.DEFAULT);

            await().untilAsserted(() -> assertThat(sink.calls).last()
                    .isEqualTo("changed " + tail(id) + " [STATE] STOPPED"));
            assertThat(sink.threads).containsOnly("gantry-twin");
            mirror.stop();
        } finally {
            Threads.shutdown(loop, 5);
        }
    }
}

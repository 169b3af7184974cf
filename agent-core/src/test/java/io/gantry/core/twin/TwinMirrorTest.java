package io.gantry.core.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static io.gantry.core.twin.RecordingSink.tail;
import static org.awaitility.Awaitility.await;

import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ForwardingEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
    void createEvent_ofAContainerAlreadyStarted_reportsCreatedThenRunning_asKanto() {
        List<Runnable> queued = new ArrayList<>();
        TwinMirror queuedMirror = new TwinMirror(engine, sink, queued::add);
        queuedMirror.start();
        queued.forEach(Runnable::run);
        queued.clear();

        // create and start before the mirror gets to the create event (Ditto create with start, a desired state)
        ContainerId id = create("web");
        engine.start(id);
        queued.forEach(Runnable::run);

        assertThat(sink.calls).containsSubsequence("changed " + tail(id) + " [CREATED] CREATED",
                "changed " + tail(id) + " [STATE] RUNNING");
        assertThat(sink.calls.stream().filter(c -> c.contains(tail(id)))).hasSize(2);
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

    /** Holds the mirror's listener, so that a test sends the events and the fake only answers inspects. */
    private static final class QuietEngine extends ForwardingEngine {
        volatile EngineListener listener;
        volatile boolean inspectFails;

        QuietEngine(ContainerEngine delegate) {
            super(delegate);
        }

        @Override
        public Subscription subscribe(EngineListener l) {
            listener = l;
            return () -> { };
        }

        @Override
        public Optional<Container> inspect(ContainerId id) {
            if (inspectFails) {
                throw new EngineUnavailableException("the engine is still cleaning up", null);
            }
            return super.inspect(id);
        }

        void announce(ContainerEvent.Kind kind, ContainerId id, Instant time, Map<String, String> attributes) {
            listener.onEvent(new ContainerEvent(kind, id, time, attributes));
        }
    }

    private final QuietEngine quiet = new QuietEngine(engine);

    /** A running container "web", and a mirror of the quiet engine that has read it; no call recorded yet. */
    private ContainerId runningUnderAQuietMirror() {
        ContainerId id = create("web");
        engine.start(id);
        new TwinMirror(quiet, sink, Runnable::run).start();
        sink.calls.clear();
        return id;
    }

    private static final Instant LATER = Instant.parse("2024-06-28T07:35:21.143456789Z");

    @Test
    void dieEvent_reportsTheExitFromTheEventAlone_beforeTheEngineAnswersAnInspect() {
        ContainerId id = runningUnderAQuietMirror();
        quiet.inspectFails = true;

        quiet.announce(ContainerEvent.Kind.KILLED, id, LATER, Map.of("signal", "15"));
        quiet.announce(ContainerEvent.Kind.DIED, id, LATER, Map.of("exitCode", "143"));

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] STOPPED");
        ContainerState state = sink.lastChanged.container().state();
        assertThat(state.exitCode()).isEqualTo(143);
        assertThat(state.pid()).isZero();
        assertThat(state.finishedAt()).contains(LATER);
        assertThat(state.oomKilled()).isFalse();
    }

    @Test
    void dieEvent_afterASigkill_waitsForTheInspect_soThatAForcedRemovalIsOnlyEverDead() {
        ContainerId id = runningUnderAQuietMirror();
        engine.remove(id, true);

        quiet.announce(ContainerEvent.Kind.KILLED, id, LATER, Map.of("signal", "9"));
        quiet.announce(ContainerEvent.Kind.DIED, id, LATER, Map.of("exitCode", "137"));
        quiet.announce(ContainerEvent.Kind.REMOVED, id, LATER, Map.of());

        assertThat(sink.calls).containsExactly("removed " + tail(id));
        assertThat(sink.lastRemoved.orElseThrow().status()).isEqualTo(TwinStatus.RUNNING);
    }

    @Test
    void dieEvent_afterAnOomEvent_reportsOomKilled() {
        ContainerId id = runningUnderAQuietMirror();
        quiet.inspectFails = true;

        quiet.announce(ContainerEvent.Kind.OUT_OF_MEMORY, id, LATER, Map.of());
        quiet.announce(ContainerEvent.Kind.DIED, id, LATER, Map.of("exitCode", "137"));

        assertThat(sink.calls).last().isEqualTo("changed " + tail(id) + " [STATE] EXITED");
        assertThat(sink.lastChanged.container().state().oomKilled()).isTrue();
    }

    @Test
    void dieEvent_whoseInspectDiffersOnlyInTheExitTime_isPublishedOnce_withTheEventsTime() {
        ContainerId id = runningUnderAQuietMirror();
        engine.exit(id, 3); // the engine records the exit at its clock's time; the event announces it 20 ms later

        quiet.announce(ContainerEvent.Kind.DIED, id, LATER, Map.of("exitCode", "3"));

        assertThat(sink.calls).containsExactly("changed " + tail(id) + " [STATE] EXITED");
        assertThat(sink.lastChanged.container().state().finishedAt()).contains(LATER);
        assertThat(engine.inspect(id).orElseThrow().state().finishedAt()).isNotEqualTo(Optional.of(LATER));

        engine.rename(id, new ContainerName("web2"));
        quiet.announce(ContainerEvent.Kind.RENAMED, id, LATER, Map.of("oldName", "web"));

        assertThat(sink.calls).last().as("a later event keeps the announced exit time").isEqualTo("changed " + tail(id)
                + " [NAME] EXITED");
        assertThat(sink.lastChanged.container().state().finishedAt()).contains(LATER);
    }

    @Test
    void dieEvent_ofAContainerTheEngineRestarted_isCorrectedByTheInspect() {
        ContainerId id = runningUnderAQuietMirror();
        engine.exit(id, 1);
        engine.start(id); // a restart policy brought it back before the mirror could look

        quiet.announce(ContainerEvent.Kind.DIED, id, LATER, Map.of("exitCode", "1"));

        assertThat(sink.calls).containsExactly("changed " + tail(id) + " [STATE] EXITED",
                "changed " + tail(id) + " [STATE] RUNNING");
    }

    @Test
    void dieEvent_withoutANumericExitCode_isLeftToTheInspect() {
        ContainerId id = runningUnderAQuietMirror();
        engine.exit(id, 2);

        quiet.announce(ContainerEvent.Kind.DIED, id, LATER, Map.of("exitCode", "two"));

        assertThat(sink.calls).containsExactly("changed " + tail(id) + " [STATE] EXITED");
        assertThat(sink.lastChanged.container().state().exitCode()).isEqualTo(2);
        assertThat(sink.lastChanged.container().state().finishedAt()).isNotEqualTo(Optional.of(LATER));
    }

    @Test
    void resyncWhileAFullReadIsQueued_readsAndPublishesOnce_andOneAfterItBeganReadsAgain() {
        List<Runnable> queued = new ArrayList<>();
        TwinMirror mirror = new TwinMirror(engine, sink, queued::add);
        create("web");

        mirror.start();
        mirror.resync(); // the connection was up already: the twin asks for the whole picture at once
        mirror.resync();
        runAll(queued);

        assertThat(sink.calls).hasSize(1).allMatch(call -> call.startsWith("replaceAll"));

        mirror.resync();
        runAll(queued);

        assertThat(sink.calls).hasSize(2).allMatch(call -> call.startsWith("replaceAll"));
    }

    private static void runAll(List<Runnable> queued) {
        while (!queued.isEmpty()) {
            queued.remove(0).run();
        }
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

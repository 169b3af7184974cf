package io.gantry.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch keeps the latest status, tells listeners of changes and keeps the file for containers. */
class TimeSyncWatchTest {

    @TempDir
    Path dir;

    @Test
    void changesReachListenersOnce_andTheSharedFileFollows() throws Exception {
        AtomicReference<TimeSync> says = new AtomicReference<>(TimeSync.notSynchronised("test: not yet"));
        List<TimeSync> heard = new ArrayList<>();
        Path shared = dir.resolve("time");
        try (TimeSyncWatch watch = new TimeSyncWatch(says::get, () -> Duration.ofHours(1), shared).start()) {
            watch.check(); // queued behind the first check that start() began
            watch.onChange(heard::add);
            assertThat(Files.readString(shared.resolve(TimeSyncWatch.SHARED_FILE))).isEmpty();

            watch.check();
            says.set(TimeSync.synchronised("test: ntp"));
            watch.check();
            watch.check();

            assertThat(heard).containsExactly(TimeSync.notSynchronised("test: not yet"), TimeSync.synchronised("test: ntp"));
            assertThat(watch.current()).isEqualTo(TimeSync.synchronised("test: ntp"));
            assertThat(Files.readString(shared.resolve(TimeSyncWatch.SHARED_FILE))).isEqualTo("synchronised\n");
            try (var files = Files.list(shared)) {
                assertThat(files).containsExactly(shared.resolve(TimeSyncWatch.SHARED_FILE));
            }
        }
    }

    @Test
    void start_doesNotWaitForTheFirstCheck_whichRunsOnTheCheckThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> askedOn = new AtomicReference<>();
        CompletableFuture<TimeSync> firstHeard = new CompletableFuture<>();
        TimeSyncSource slow = () -> {
            askedOn.set(Thread.currentThread().getName());
            try {
                release.await(); // a chronyc that hangs until the test lets it answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TimeSync.synchronised("test: slow tool");
        };
        try (TimeSyncWatch watch = new TimeSyncWatch(slow, () -> Duration.ofHours(1), dir)) {
            watch.onChange(s -> {
                if (s.state() != TimeSync.State.UNKNOWN) {
                    firstHeard.complete(s);
                }
            });
            watch.start(); // would never return if the first check ran here
            assertThat(watch.current().state()).isEqualTo(TimeSync.State.UNKNOWN);

            release.countDown();
            assertThat(firstHeard.get(10, TimeUnit.SECONDS)).isEqualTo(TimeSync.synchronised("test: slow tool"));
            assertThat(askedOn.get()).isEqualTo("gantry-time-sync");
            assertThat(watch.current()).isEqualTo(TimeSync.synchronised("test: slow tool"));
        }
    }

    @Test
    void aSourceThatThrows_isUnknown_andTheWatchGoesOn() {
        try (TimeSyncWatch watch = new TimeSyncWatch(() -> {
            throw new IllegalStateException("boom");
        }, () -> Duration.ofHours(1), dir).start()) {
            watch.check();
            assertThat(watch.current().state()).isEqualTo(TimeSync.State.UNKNOWN);
            assertThat(watch.current().source()).contains("boom");
        }
    }
}

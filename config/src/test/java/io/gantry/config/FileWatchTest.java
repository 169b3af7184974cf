package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory watch shared by the configuration file and the descriptor files. */
class FileWatchTest {

    /** A poll so slow that every look within a test comes from an event or a request. */
    private static final FileWatch.Timing NO_POLL = new FileWatch.Timing(Duration.ofMillis(20), Duration.ofMillis(60),
            Duration.ofMillis(400), Duration.ofMinutes(10));
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private final List<String> looks = new CopyOnWriteArrayList<>();
    private FileWatch watch;

    @AfterEach
    void close() {
        if (watch != null) {
            watch.close();
        }
    }

    private FileWatch start(Path directory) {
        watch = new FileWatch("gantry-test-watch", directory, name -> name.toString().endsWith(".json"), NO_POLL,
                true, now -> looks.add(Thread.currentThread().getName()));
        watch.start();
        return watch;
    }

    @Test
    void aChangeToARelevantFile_isLookedAt_once_afterTheDebounce_onTheWatchThread() throws Exception {
        start(dir);
        Files.writeString(dir.resolve("a.json"), "1");
        Files.writeString(dir.resolve("a.json"), "12");

        await().atMost(Duration.ofSeconds(10)).until(() -> looks.size() == 1);
        await().during(QUIET).atMost(Duration.ofSeconds(10)).until(() -> looks.size() == 1);
        assertThat(looks).containsOnly("gantry-test-watch");
    }

    @Test
    void aChangeToAnotherFile_isNotLookedAt() throws Exception {
        start(dir);
        Files.writeString(dir.resolve("notes.txt"), "x");

        await().during(QUIET).atMost(Duration.ofSeconds(10)).until(looks::isEmpty);
    }

    @Test
    void lookSoonAndLookAt_askForALook_withoutAnEvent() {
        start(dir);
        watch.lookSoon();
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.size() == 1);

        watch.lookAt(System.nanoTime() + Duration.ofMillis(200).toNanos());
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.size() == 2);
    }

    @Test
    void aDirectoryCreatedLater_isWatchedOnceItExists() throws Exception {
        Path later = dir.resolve("later");
        start(later);
        Files.createDirectory(later);

        await().atMost(Duration.ofSeconds(10)).until(() -> !looks.isEmpty());   // it appeared: the files may have too
        int seen = looks.size();
        Files.writeString(later.resolve("b.json"), "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.size() > seen);
    }

    @Test
    void aFailingLooker_doesNotStopTheWatch() throws Exception {
        watch = new FileWatch("gantry-test-watch", dir, name -> true, NO_POLL, true, now -> {
            looks.add("look");
            throw new IllegalStateException("looker bug");
        });
        watch.start();
        watch.lookSoon();
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.size() == 1);
        Files.writeString(dir.resolve("c.json"), "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.size() == 2);
    }
}

package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {

    private static final FileWatch.Timing FAST = new FileWatch.Timing(Duration.ofMillis(20),
            Duration.ofMillis(60), Duration.ofMillis(400), Duration.ofSeconds(1));
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path file;
    private ConfigWatcher watcher;
    private final List<ConfigChange> changes = new CopyOnWriteArrayList<>();
    private final List<ConfigException> rejections = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    private final ConfigWatcher.Listener listener = new ConfigWatcher.Listener() {
        @Override
        public void changed(ConfigChange change) {
            threads.add(Thread.currentThread().getName());
            changes.add(change);
        }

        @Override
        public void rejected(ConfigException problems) {
            threads.add(Thread.currentThread().getName());
            rejections.add(problems);
        }
    };

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static String level(String level) {
        return "{\"log\": {\"log_level\": \"" + level + "\"}}\n";
    }

    private AgentConfig startWith(String content) throws IOException, ConfigException {
        file = dir.resolve("config.json");
        Files.writeString(file, content);
        AgentConfig initial = ConfigLoader.load(file);
        watcher = ConfigWatcher.start(file, initial, listener, FAST);
        return initial;
    }

    private void awaitChanges(int count) {
        await().atMost(PATIENCE).until(() -> changes.size() >= count);
        assertThat(changes).hasSize(count);
    }

    @Test
    void validEdit_isApplied_onTheConfigThread_withWhatChanged() throws Exception {
        AgentConfig initial = startWith(level("INFO"));
        Files.writeString(file, level("DEBUG"));

        awaitChanges(1);
        ConfigChange change = changes.get(0);
        assertThat(change.previous()).isEqualTo(initial);
        assertThat(change.current().log().logLevel()).isEqualTo("DEBUG");
        assertThat(change.paths()).containsExactly("log.log_level");
        assertThat(watcher.current()).isEqualTo(change.current());
        assertThat(threads).containsOnly("gantry-config");
        assertThat(rejections).isEmpty();
    }

    @Test
    void saveByRename_isApplied() throws Exception {
        startWith(level("INFO"));
        Path temp = Files.writeString(dir.resolve(".config.json.swp"), level("WARN"));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        awaitChanges(1);
        assertThat(changes.get(0).current().log().logLevel()).isEqualTo("WARN");
        assertThat(rejections).isEmpty();
    }

    @Test
    void truncateThenWrite_theInvalidReadInBetween_isNotReported() throws Exception {
        startWith(level("INFO"));
        Files.writeString(file, "");
        await().atMost(PATIENCE).until(watcher::settling);   // the watcher has seen the empty file
        Files.writeString(file, level("ERROR"));

        awaitChanges(1);
        assertThat(changes.get(0).current().log().logLevel()).isEqualTo("ERROR");
        await().during(QUIET).atMost(PATIENCE).until(rejections::isEmpty);
    }

    @Test
    void partialWrite_cutMidDocument_thenCompleted_isNotReported() throws Exception {
        startWith(level("INFO"));
        Files.writeString(file, "{\"log\": {\"log_le");
        await().atMost(PATIENCE).until(watcher::settling);
        Files.writeString(file, level("TRACE"));

        awaitChanges(1);
        await().during(QUIET).atMost(PATIENCE).until(rejections::isEmpty);
    }

    @Test
    void deletedAndRecreated_isApplied_withoutAReport() throws Exception {
        startWith(level("INFO"));
        Files.delete(file);
        await().atMost(PATIENCE).until(watcher::settling);
        Files.writeString(file, level("DEBUG"));

        awaitChanges(1);
        assertThat(changes.get(0).current().log().logLevel()).isEqualTo("DEBUG");
        await().during(QUIET).atMost(PATIENCE).until(rejections::isEmpty);
    }

    @Test
    void invalidEdit_isReportedOnce_andTheRunningConfigStays_thenAValidEditIsApplied() throws Exception {
        AgentConfig initial = startWith(level("INFO"));
        String invalid = "{\"log\": {\"log_level\": \"LOUD\"}, \"connection\": {\"keep_alive\": \"20x\"}}";
        Files.writeString(file, invalid);

        await().atMost(PATIENCE).until(() -> rejections.size() == 1);
        assertThat(rejections.get(0).problems()).extracting(ConfigProblem::path)
                .containsExactly("log.log_level", "connection.keep_alive");
        assertThat(watcher.current()).isEqualTo(initial);
        assertThat(changes).isEmpty();

        Files.writeString(file, invalid);   // the same bad content again: already said
        await().during(Duration.ofMillis(1500)).atMost(PATIENCE).until(() -> rejections.size() == 1);

        Files.writeString(file, level("WARN"));
        awaitChanges(1);
        assertThat(changes.get(0).previous()).isEqualTo(initial);
        assertThat(watcher.current().log().logLevel()).isEqualTo("WARN");
        assertThat(threads).containsOnly("gantry-config");
    }

    @Test
    void aDifferentInvalidEdit_isReportedAgain() throws Exception {
        startWith(level("INFO"));
        Files.writeString(file, level("LOUD"));
        await().atMost(PATIENCE).until(() -> rejections.size() == 1);
        Files.writeString(file, level("QUIET"));
        await().atMost(PATIENCE).until(() -> rejections.size() == 2);
        assertThat(rejections.get(1).getMessage()).contains("\"QUIET\" is not a log level");
    }

    @Test
    void deletedForGood_isReportedOnce_andTheRunningConfigStays() throws Exception {
        AgentConfig initial = startWith(level("DEBUG"));
        Files.delete(file);
        await().atMost(PATIENCE).until(() -> rejections.size() == 1);
        assertThat(rejections.get(0).problems()).containsExactly(new ConfigProblem("", "file not found"));
        await().during(Duration.ofMillis(1500)).atMost(PATIENCE).until(() -> rejections.size() == 1);
        assertThat(watcher.current()).isEqualTo(initial);
    }

    @Test
    void aSaveThatChangesOnlyFormOrComments_doesNotNotify() throws Exception {
        startWith(level("INFO"));
        Files.writeString(file, "// edited by hand\n{ \"log\" : { \"log_level\" : \"info\", }, }\n");
        await().during(QUIET).atMost(PATIENCE).until(() -> changes.isEmpty() && rejections.isEmpty());
    }

    @Test
    void withoutFileEvents_thePollStillSeesChanges() throws Exception {
        file = dir.resolve("config.json");
        Files.writeString(file, level("INFO"));
        FileWatch.Timing pollOnly = new FileWatch.Timing(Duration.ofMillis(20), Duration.ofMillis(60),
                Duration.ofMillis(400), Duration.ofMillis(150));
        watcher = ConfigWatcher.start(file, ConfigLoader.load(file), listener, pollOnly, false);
        Files.writeString(file, level("DEBUG"));

        awaitChanges(1);
        assertThat(changes.get(0).paths()).containsExactly("log.log_level");
    }

    @Test
    void startedOnDefaultsWithoutAFile_aFileCreatedLater_isApplied() throws Exception {
        file = dir.resolve("config.json");
        watcher = ConfigWatcher.start(file, AgentConfig.DEFAULTS, listener, FAST);
        await().during(Duration.ofMillis(300)).atMost(PATIENCE).until(rejections::isEmpty);   // no file is fine
        Files.writeString(file, level("WARN"));

        awaitChanges(1);
        assertThat(changes.get(0).previous()).isSameAs(AgentConfig.DEFAULTS);
    }

    @Test
    void aFailingListener_doesNotStopTheWatching() throws Exception {
        file = dir.resolve("config.json");
        Files.writeString(file, level("INFO"));
        ConfigWatcher.Listener failing = change -> {
            changes.add(change);
            throw new IllegalStateException("listener bug");
        };
        watcher = ConfigWatcher.start(file, ConfigLoader.load(file), failing, FAST);
        Files.writeString(file, level("DEBUG"));
        awaitChanges(1);
        Files.writeString(file, level("WARN"));
        awaitChanges(2);
        assertThat(watcher.current().log().logLevel()).isEqualTo("WARN");
    }

    @Test
    void close_stopsTheThread() throws Exception {
        startWith(level("INFO"));
        watcher.close();
        Files.writeString(file, level("DEBUG"));
        await().during(QUIET).atMost(PATIENCE).until(changes::isEmpty);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("gantry-config") && t.isAlive());
    }
}

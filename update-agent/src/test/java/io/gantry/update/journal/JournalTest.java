package io.gantry.update.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operation journal: atomic replacement, round trip, unreadable files kept aside. */
class JournalTest {

    @TempDir
    Path stateDir;

    private static JournalRecord record(String status) {
        JournalAction action = new JournalAction("RECREATE", "web", "containers:web", "2", status, "msg", "abc",
                "RUNNING", new JournalSettings("on-failure", 3, 30_000, 209715200L, null, null, false, "1.5"),
                "web.gantry-new-1", "web.gantry-old-1", "def", "rename web web.gantry-old-1",
                List.of("CREATED", "OLD_STOPPED"), true, false, false);
        return new JournalRecord(JournalRecord.FORMAT, "op-1", "act-1", "containers", "auto", null, List.of(action));
    }

    @Test
    void write_thenRead_returnsTheRecord_andLeavesNoTemporaryFile() throws IOException {
        Journal journal = new Journal(stateDir);
        journal.write(record("DOWNLOADING"));
        journal.write(record("UPDATING"));

        assertThat(journal.read()).contains(record("UPDATING"));
        try (var files = Files.list(stateDir.resolve("update-agent"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("operation.json");
        }
    }

    @Test
    void read_withoutJournal_isEmpty_andDeleteIsHarmless() {
        Journal journal = new Journal(stateDir);
        assertThat(journal.read()).isEmpty();
        journal.delete();
        assertThat(journal.exists()).isFalse();
    }

    @Test
    void delete_removesTheJournal() {
        Journal journal = new Journal(stateDir);
        journal.write(record("UPDATING"));
        journal.delete();
        assertThat(journal.exists()).isFalse();
        assertThat(journal.read()).isEmpty();
    }

    @Test
    void read_journalOverTheBound_isMovedAsideUnread_evenWhenItWouldParse() throws IOException {
        Journal journal = new Journal(stateDir);
        // valid JSON followed by 16 MiB of blanks: only the bound keeps it out of memory
        Files.createDirectories(journal.file().getParent());
        Files.writeString(journal.file(), "{\"format\":1,\"operationId\":\"o\",\"activityId\":\"a\"}"
                + " ".repeat(Journal.MAX_BYTES));

        assertThat(journal.read()).isEmpty();
        assertThat(journal.exists()).isFalse();
        try (var aside = Files.list(journal.file().getParent())) {
            assertThat(aside.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("operation.json.unreadable-"));
        }
    }

    @Test
    void read_unreadableJournal_isMovedAside_notLost() throws IOException {
        Journal journal = new Journal(stateDir);
        Files.createDirectories(journal.file().getParent());
        Files.writeString(journal.file(), "{\"format\":1,\"operationId\":");

        assertThat(journal.read()).isEmpty();
        assertThat(journal.exists()).isFalse();
        try (var files = Files.list(journal.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .singleElement().asString().startsWith("operation.json.unreadable-");
        }
    }

    @Test
    void write_whereTheStateDirectoryIsAFile_failsWithTheFileName() throws IOException {
        Path notADirectory = Files.writeString(stateDir.resolve("file"), "x");
        Journal journal = new Journal(notADirectory);
        assertThatThrownBy(() -> journal.write(record("x"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("operation.json");
    }
}

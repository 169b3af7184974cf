package io.gantry.update.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing a descriptor file for an editor: whole or not at all, and never over a change made meanwhile. */
class DescriptorWriterTest {

    private static final byte[] WEB = "{\"image\": {\"name\": \"busybox\"}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WEB2 = "{\"image\": {\"name\": \"busybox:2\"}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aNewFile_isCreated_andLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
        DescriptorWriter.write(dir, "web.json", WEB, Optional.empty());

        assertThat(Files.readAllBytes(dir.resolve("web.json"))).isEqualTo(WEB);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("web.json");
        }
        assertThat(DescriptorWriter.read(dir, "web.json").orElseThrow().valid()).isTrue();
    }

    @Test
    void anEdit_replacesTheFileItLoaded_butNotOneChangedSince(@TempDir Path dir) throws Exception {
        DescriptorWriter.write(dir, "web.json", WEB, Optional.empty());
        String loaded = DescriptorWriter.read(dir, "web.json").orElseThrow().digest();

        DescriptorWriter.write(dir, "web.json", WEB2, Optional.of(loaded));

        assertThat(Files.readAllBytes(dir.resolve("web.json"))).isEqualTo(WEB2);
        assertThatThrownBy(() -> DescriptorWriter.write(dir, "web.json", WEB, Optional.of(loaded)))
                .isInstanceOf(DescriptorWriter.ChangedMeanwhile.class).hasMessageContaining("changed or removed");
        assertThatThrownBy(() -> DescriptorWriter.write(dir, "web.json", WEB, Optional.empty()))
                .isInstanceOf(DescriptorWriter.ChangedMeanwhile.class).hasMessageContaining("exists already");
        assertThat(Files.readAllBytes(dir.resolve("web.json"))).isEqualTo(WEB2);
    }

    @Test
    void namesOutsideTheDirectoryOrHidden_areRefused(@TempDir Path dir) {
        for (String name : new String[] {"../web.json", "sub/web.json", ".web.json", "web.txt", "web json.json"}) {
            assertThat(DescriptorWriter.isFileName(name)).as(name).isFalse();
            assertThatThrownBy(() -> DescriptorWriter.write(dir, name, WEB, Optional.empty())).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(DescriptorWriter.isFileName("web-1.2_x.json")).isTrue();
    }
}

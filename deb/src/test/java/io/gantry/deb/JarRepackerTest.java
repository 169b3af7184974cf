package io.gantry.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarRepackerTest {

    @TempDir
    Path dir;

    @Test
    void repack_storesEveryEntryAndDropsForeignJnaNatives() throws Exception {
        Path jar = dir.resolve("lib.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("META-INF/MANIFEST.MF", "a/B.class", "com/sun/jna/linux-x86-64/libjnidispatch.so",
                    "com/sun/jna/darwin-aarch64/libjnidispatch.jnilib", "com/sun/jna/win32-x86-64/jnidispatch.dll")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(("content of " + name).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }

        JarRepacker.repack(jar);

        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zip.entries());
            assertThat(entries).extracting(ZipEntry::getName).containsExactly("META-INF/MANIFEST.MF", "a/B.class",
                    "com/sun/jna/linux-x86-64/libjnidispatch.so");
            assertThat(entries).allSatisfy(e -> assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED));
            assertThat(new String(zip.getInputStream(zip.getEntry("a/B.class")).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("content of a/B.class");
        }
    }
}

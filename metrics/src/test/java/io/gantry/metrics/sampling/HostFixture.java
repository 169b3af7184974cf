package io.gantry.metrics.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies a host fixture (a {@code cgroup} and a {@code proc} tree under {@code hosts/<name>}) into a directory. */
final class HostFixture {

    static final String ID = "4f7d1b2e8a9c4e3f9b1a2c3d4e5f6a7b4f7d1b2e8a9c4e3f9b1a2c3d4e5f6a7b";
    static final String ID2 = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";
    /** 24683656 kB in the fixtures' meminfo. */
    static final long HOST_MEMORY = 24683656L * 1024;
    /** user..softirq of the fixtures' /proc/stat, in ticks of 10 ms. */
    static final long HOST_CPU_NANOS = (126870L + 12576 + 213589 + 756 + 168) * 10_000_000L;

    private HostFixture() {
    }

    static HostPaths copy(String name, Path into) {
        URL url = HostFixture.class.getResource("/hosts/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name);
        }
        try {
            Path source = Path.of(url.toURI());
            try (Stream<Path> files = Files.walk(source)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = into.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            Files.createDirectories(into.resolve("cgroup"));
            return new HostPaths(into.resolve("cgroup"), into.resolve("proc"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

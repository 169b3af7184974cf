package io.gantry.metrics.sampling;

import static io.gantry.metrics.sampling.HostFixture.HOST_CPU_NANOS;
import static io.gantry.metrics.sampling.HostFixture.HOST_MEMORY;
import static io.gantry.metrics.sampling.HostFixture.ID;
import static io.gantry.metrics.sampling.HostFixture.ID2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cgroup v1/v2 and cgroupfs/systemd layouts, read from fixture trees shaped like the kernel's. */
class KernelStatsTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path dir;

    private ContainerStats read(HostPaths paths, String id, long pid, boolean hostNetwork) throws Exception {
        CgroupLocator locator = CgroupLocator.detect(paths);
        ContainerFiles files = locator.locate(ContainerId.of(id), pid, hostNetwork).orElseThrow();
        KernelStats kernel = KernelStats.open(paths);
        return kernel.read(ContainerId.of(id), files, kernel.readHost(), NOW);
    }

    @Test
    void readHost_sumsTheFirstSevenCpuFieldsAndCountsOnlineCpus() throws Exception {
        KernelStats kernel = KernelStats.open(HostFixture.copy("v1-cgroupfs", dir));

        assertThat(kernel.readHost()).isEqualTo(new KernelStats.HostCpu(HOST_CPU_NANOS, 2));
        assertThat(kernel.hostMemory()).isEqualTo(HOST_MEMORY);
    }

    @Test
    void read_v1Cgroupfs_readsEveryFigure() throws Exception {
        HostPaths paths = HostFixture.copy("v1-cgroupfs", dir);

        assertThat(CgroupLocator.detect(paths).version()).isEqualTo(CgroupLocator.Version.V1);
        assertThat(read(paths, ID, 4242, false)).isEqualTo(new ContainerStats(ContainerId.of(ID), NOW,
                23943162L, HOST_CPU_NANOS, 2,
                8912896L - 1048576L, // usage - total_inactive_file (not inactive_file)
                HOST_MEMORY,         // no limit: the host's memory
                4096L + 100L, 8192L + 200L, // all devices
                5306L, 1172L,        // eth0 only, lo left out
                3));
    }

    @Test
    void read_v1CustomCgroupParent_isFoundThroughProcPidCgroup() throws Exception {
        HostPaths paths = HostFixture.copy("v1-cgroupfs", dir);

        ContainerFiles files = CgroupLocator.detect(paths).locate(ContainerId.of(ID2), 5555, false).orElseThrow();

        assertThat(((CgroupDirs.V1) files.cgroup()).memory())
                .isEqualTo(paths.cgroupRoot().resolve("memory/gateway/apps/" + ID2));
        assertThat(read(paths, ID2, 5555, false).cpuTotalNanos()).isEqualTo(23943162L);
    }

    @Test
    void read_v1SystemdCoMountedCfq_readsRecursiveCfqBytesAndLimit() throws Exception {
        HostPaths paths = HostFixture.copy("v1-systemd", dir);

        ContainerStats stats = read(paths, ID, 4243, false);

        assertThat(stats.cpuTotalNanos()).isEqualTo(777000111L);
        assertThat(stats.memoryUsed()).isEqualTo(300000000L - 1048576L);
        assertThat(stats.memoryLimit()).isEqualTo(268435456L);
        assertThat(stats.blockReadBytes()).isEqualTo(1000);
        assertThat(stats.blockWriteBytes()).isEqualTo(2000);
        assertThat(stats.pids()).isZero(); // no pids controller mounted
    }

    @Test
    void locate_v1Systemd_withoutTrustedPid_usesTheSystemdScope() throws Exception {
        HostPaths paths = HostFixture.copy("v1-systemd", dir);

        ContainerFiles files = CgroupLocator.detect(paths).locate(ContainerId.of(ID), 0, true).orElseThrow();

        assertThat(((CgroupDirs.V1) files.cgroup()).cpuacct())
                .isEqualTo(paths.cgroupRoot().resolve("cpu,cpuacct/system.slice/docker-" + ID + ".scope"));
        assertThat(files.netDev()).isEmpty();
    }

    @Test
    void read_v2Cgroupfs_readsEveryFigure() throws Exception {
        HostPaths paths = HostFixture.copy("v2-cgroupfs", dir);

        assertThat(CgroupLocator.detect(paths).version()).isEqualTo(CgroupLocator.Version.V2);
        assertThat(read(paths, ID, 777, false)).isEqualTo(new ContainerStats(ContainerId.of(ID), NOW,
                5000123L * 1000, HOST_CPU_NANOS, 2,
                20000000L - 3000000L, // memory.current - inactive_file
                536870912L,
                1024L + 10L, 2048L + 20L,
                5306L, 1172L,
                7));
    }

    @Test
    void read_v2SystemdWithoutLimitOrIo_usesHostMemoryAndZeroIo() throws Exception {
        HostPaths paths = HostFixture.copy("v2-systemd", dir);

        ContainerStats stats = read(paths, ID, 888, false);

        assertThat(stats.cpuTotalNanos()).isEqualTo(42_000L);
        assertThat(stats.memoryUsed()).isEqualTo(4096L); // inactive_file above usage is not subtracted
        assertThat(stats.memoryLimit()).isEqualTo(HOST_MEMORY);
        assertThat(stats.blockReadBytes()).isZero();
        assertThat(stats.pids()).isEqualTo(1);
    }

    @Test
    void locate_v2Systemd_byConvention_whenThePidIsUnknown() throws Exception {
        HostPaths paths = HostFixture.copy("v2-systemd", dir);

        ContainerFiles files = CgroupLocator.detect(paths).locate(ContainerId.of(ID), 0, true).orElseThrow();

        assertThat(files.cgroup()).isEqualTo(
                new CgroupDirs.V2(paths.cgroupRoot().resolve("system.slice/docker-" + ID + ".scope")));
    }

    @Test
    void locate_v1PodmanCgroupfs_byConvention_whenThePidIsUnknown() throws Exception {
        HostPaths paths = HostFixture.copy("v1-cgroupfs", dir);
        for (String controller : new String[] {"cpuacct", "memory", "blkio", "pids"}) {
            Path parent = Files.createDirectories(paths.cgroupRoot().resolve(controller + "/libpod_parent"));
            Files.move(paths.cgroupRoot().resolve(controller + "/docker/" + ID), parent.resolve("libpod-" + ID));
        }

        ContainerFiles files = CgroupLocator.detect(paths).locate(ContainerId.of(ID), 0, true).orElseThrow();

        assertThat(((CgroupDirs.V1) files.cgroup()).memory())
                .isEqualTo(paths.cgroupRoot().resolve("memory/libpod_parent/libpod-" + ID));
        assertThat(KernelStats.open(paths).read(ContainerId.of(ID), files, new KernelStats.HostCpu(HOST_CPU_NANOS, 2),
                NOW).cpuTotalNanos()).isEqualTo(23943162L);
    }

    @Test
    void locate_pidOfAnotherProcess_isNotTrustedForTheNetwork() throws Exception {
        HostPaths paths = HostFixture.copy("v1-cgroupfs", dir);
        CgroupLocator locator = CgroupLocator.detect(paths);

        // pid 1 is not in the container's cgroup: its net/dev is the host's, so the kernel path declines
        assertThat(locator.locate(ContainerId.of(ID), 1, false)).isEmpty();
        // with host networking there is no network to read, and the cgroup is found by convention
        assertThat(locator.locate(ContainerId.of(ID), 1, true)).isPresent();
    }

    @Test
    void locate_unknownContainer_isEmpty() throws Exception {
        HostPaths paths = HostFixture.copy("v2-cgroupfs", dir);

        assertThat(CgroupLocator.detect(paths).locate(ContainerId.of("deadbeef"), 0, true)).isEmpty();
    }

    @Test
    void detect_noCgroupTree_findsNothing() {
        HostPaths paths = new HostPaths(dir.resolve("none"), dir.resolve("proc"));

        CgroupLocator locator = CgroupLocator.detect(paths);

        assertThat(locator.version()).isEqualTo(CgroupLocator.Version.NONE);
        assertThat(locator.locate(ContainerId.of(ID), 4242, false)).isEmpty();
    }

    @Test
    void read_vanishedContainer_failsWithNoSuchFile() throws Exception {
        HostPaths paths = HostFixture.copy("v2-cgroupfs", dir);
        ContainerFiles files = CgroupLocator.detect(paths).locate(ContainerId.of(ID), 777, false).orElseThrow();
        KernelStats kernel = KernelStats.open(paths);
        deleteTree(paths.cgroupRoot().resolve("docker/" + ID));

        assertThatThrownBy(() -> kernel.read(ContainerId.of(ID), files, kernel.readHost(), NOW))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void open_withoutMeminfo_fails() {
        HostPaths paths = new HostPaths(dir, dir.resolve("no-proc"));

        assertThatThrownBy(() -> KernelStats.open(paths)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void field_readsTheValueAfterAnExactKey() {
        String text = "total_inactive_file_x 9\ntotal_inactive_file 1048576\nMemTotal:       24683656 kB\n";

        assertThat(KernelStats.field(text, "total_inactive_file")).contains(1048576L);
        assertThat(KernelStats.field(text, "MemTotal:")).contains(24683656L);
        assertThat(KernelStats.field(text, "inactive_file")).isEmpty();
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}

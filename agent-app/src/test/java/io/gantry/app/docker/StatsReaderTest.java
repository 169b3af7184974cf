package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.metrics.snapshot.CpuUsage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ContainerId ID = ContainerId.of("f00d");

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = StatsReaderTest.class.getResourceAsStream("/docker/" + name)) {
            return JSON.readTree(in);
        }
    }

    /**
     * Memory used is usage minus inactive file pages, as docker stats shows it; block I/O per direction; the host's CPU
     * time is the {@code read} time (2026-11-22T00:04:45.952508189Z, 2026-11-21T10:00:00.5Z) since 2020 times the CPUs.
     */
    @ParameterizedTest
    @CsvSource({
            // fixture,          cpuTotal,  systemCpu,          cpus, memoryUsed, memoryLimit, blkRead, blkWrite, rx,   tx, pids
            "stats-cgroup-v1.json, 22690308,  434938171905016378, 2, 8388608,    67108864,    4096,    8192,     1024, 512,  2",
            "stats-cgroup-v2.json, 123456789, 869673602000000000, 4, 46137344,   134217728,   1048576, 2048,     2048, 1024, 3"})
    void read_takesFiguresFromEachCgroupVersion(String fixture, long cpuTotal, long systemCpu, int cpus,
                                                long memoryUsed, long memoryLimit, long blkRead, long blkWrite, long rx,
                                                long tx, long pids) throws IOException {
        ContainerStats s = StatsReader.read(ID, fixture(fixture), Instant.EPOCH);

        assertThat(s.cpuTotalNanos()).isEqualTo(cpuTotal);
        assertThat(s.systemCpuNanos()).isEqualTo(systemCpu);
        assertThat(s.onlineCpus()).isEqualTo(cpus);
        assertThat(s.memoryUsed()).isEqualTo(memoryUsed);
        assertThat(s.memoryLimit()).isEqualTo(memoryLimit);
        assertThat(s.blockReadBytes()).isEqualTo(blkRead);
        assertThat(s.blockWriteBytes()).isEqualTo(blkWrite);
        assertThat(s.networkReadBytes()).isEqualTo(rx);
        assertThat(s.networkWriteBytes()).isEqualTo(tx);
        assertThat(s.pids()).isEqualTo(pids);
        assertThat(s.readAt()).isAfter(Instant.EPOCH);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"usage\":1000,\"stats\":{\"total_inactive_file\":300}}  | 700",
            "{\"usage\":1000,\"stats\":{\"total_inactive_file\":3000}} | 1000",
            "{\"usage\":1000,\"stats\":{\"inactive_file\":400}}        | 600",
            "{\"usage\":1000,\"stats\":{}}                             | 1000",
            "{}                                                        | 0"})
    void memoryUsedWithoutCache_followsDockerStats(String memoryStats, long expected) throws IOException {
        assertThat(StatsReader.memoryUsedWithoutCache(JSON.readTree(memoryStats))).isEqualTo(expected);
    }

    /** Podman 4.3 answers its busy time as system_cpu_usage; the share must not depend on it (docs/engines.md). */
    @Test
    void hostCpuTime_isTheReadTimeTimesTheCpus_whateverTheEngineCountsAsSystemTime() throws IOException {
        JsonNode first = JSON.readTree("{\"read\":\"2026-12-04T18:05:20.622782862Z\",\"cpu_stats\":{\"online_cpus\":2,"
                + "\"system_cpu_usage\":6388598234727,\"cpu_usage\":{\"total_usage\":2790425871}}}");
        JsonNode second = JSON.readTree("{\"read\":\"2026-12-04T18:05:22.634877406Z\",\"cpu_stats\":{\"online_cpus\":2,"
                + "\"system_cpu_usage\":6390875841271,\"cpu_usage\":{\"total_usage\":4795363337}}}");

        ContainerStats a = StatsReader.read(ID, first, Instant.EPOCH);
        ContainerStats b = StatsReader.read(ID, second, Instant.EPOCH);

        // Two seconds of two cores; the container used one of them (Podman's own figure would make it 88 %).
        assertThat(b.systemCpuNanos() - a.systemCpuNanos()).isEqualTo(2 * 2_012_094_544L);
        assertThat(CpuUsage.percent(a, b).orElseThrow()).isCloseTo(49.8, Offset.offset(0.1));
    }

    @Test
    void hostCpuTime_wrapsPastTheLongRange_andItsDifferencesStayRight() {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        long before = StatsReader.hostCpuNanos(t, 128);
        long after = StatsReader.hostCpuNanos(t.plusSeconds(1), 128);

        assertThat(after - before).isEqualTo(128_000_000_000L);
    }
}

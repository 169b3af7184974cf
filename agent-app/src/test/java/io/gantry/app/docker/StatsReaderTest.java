package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
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

    /** Memory used is usage minus inactive file pages, as docker stats shows it; block I/O per direction. */
    @ParameterizedTest
    @CsvSource({
            // fixture,             cpuTotal,  systemCpu,     cpus, memoryUsed, memoryLimit, blkRead, blkWrite, rx,   tx,   pids
            "stats-cgroup-v1.json, 22690308,  3056270000000, 2,    8388608,    67108864,    4096,    8192,     1024, 512,  2",
            "stats-cgroup-v2.json, 123456789, 9990000000000, 4,    46137344,   134217728,   1048576, 2048,     2048, 1024, 3"})
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
}

package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import java.time.Instant;
import java.util.Locale;

/**
 * Reads one sample of {@code GET /containers/{id}/stats?stream=false&one-shot=true} (Engine API 1.41) for cgroup v1
 * and v2 alike.
 */
final class StatsReader {

    private StatsReader() {
    }

    static ContainerStats read(ContainerId id, JsonNode s, Instant now) {
        JsonNode cpu = s.path("cpu_stats");
        int onlineCpus = cpu.path("online_cpus").asInt();
        if (onlineCpus <= 0) {
            onlineCpus = Math.max(1, cpu.path("cpu_usage").path("percpu_usage").size());
        }
        JsonNode memory = s.path("memory_stats");
        long[] block = blockIo(s.path("blkio_stats").path("io_service_bytes_recursive"));
        long rx = 0;
        long tx = 0;
        for (JsonNode network : s.path("networks")) {
            rx += network.path("rx_bytes").asLong();
            tx += network.path("tx_bytes").asLong();
        }
        Instant readAt = InspectReader.time(s.path("read")).orElse(now);
        return new ContainerStats(id, readAt, cpu.path("cpu_usage").path("total_usage").asLong(),
                cpu.path("system_cpu_usage").asLong(), onlineCpus, memoryUsedWithoutCache(memory),
                memory.path("limit").asLong(), block[0], block[1], rx, tx, s.path("pids_stats").path("current").asLong());
    }

    /**
     * Memory in use without the page cache, as {@code docker stats} computes it (docker/cli
     * calculateMemUsageUnixNoCache): cgroup v1 subtracts {@code total_inactive_file}, v2 {@code inactive_file}.
     */
    static long memoryUsedWithoutCache(JsonNode memory) {
        long usage = memory.path("usage").asLong();
        JsonNode stats = memory.path("stats");
        if (stats.has("total_inactive_file")) {
            long inactive = stats.path("total_inactive_file").asLong();
            return inactive < usage ? usage - inactive : usage;
        }
        long inactive = stats.path("inactive_file").asLong();
        return inactive < usage ? usage - inactive : usage;
    }

    /** Bytes read and written: cgroup v1 spells the operations "Read"/"Write", v2 "read"/"write". */
    private static long[] blockIo(JsonNode entries) {
        long read = 0;
        long write = 0;
        for (JsonNode e : entries) {
            String op = e.path("op").asText().toLowerCase(Locale.ROOT);
            if (op.equals("read")) {
                read += e.path("value").asLong();
            } else if (op.equals("write")) {
                write += e.path("value").asLong();
            }
        }
        return new long[] {read, write};
    }
}

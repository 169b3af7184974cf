package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Reads one sample of {@code GET /containers/{id}/stats?stream=false&one-shot=true} (Engine API 1.41) for cgroup v1
 * and v2 alike.
 *
 * <p>The host's CPU time is the sample's {@code read} time times the online CPUs, not the engine's
 * {@code system_cpu_usage}: Docker's is all cores' time from {@code /proc/stat}, which grows the same way, but
 * Podman's (4.3) counts only the host's busy time, so a container's share came out twice as large or more whenever the
 * host idled. The origin is fixed so that readings compare across engines and restarts.
 */
final class StatsReader {

    /** Where the host's CPU time counts from; any fixed instant before the readings would do. */
    static final Instant CPU_TIME_ORIGIN = Instant.parse("2020-01-01T00:00:00Z");

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
                hostCpuNanos(readAt, onlineCpus), onlineCpus, memoryUsedWithoutCache(memory),
                memory.path("limit").asLong(), block[0], block[1], rx, tx, s.path("pids_stats").path("current").asLong());
    }

    /**
     * All cores' time since {@link #CPU_TIME_ORIGIN}. Past 2^63 (some 40 CPUs in 2027) the long wraps; the
     * differences that utilisation takes stay right, as Java's long arithmetic wraps the same way.
     */
    static long hostCpuNanos(Instant readAt, int onlineCpus) {
        Duration since = Duration.between(CPU_TIME_ORIGIN, readAt);
        return (since.getSeconds() * 1_000_000_000L + since.getNano()) * onlineCpus;
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

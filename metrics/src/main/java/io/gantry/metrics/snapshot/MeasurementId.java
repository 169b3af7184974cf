package io.gantry.metrics.snapshot;

/**
 * The measurement ids of a {@code data} message, in the order Kanto reports them (reference/kanto-things.md §3.4).
 */
public enum MeasurementId {
    /** Percent of the whole machine: Δ container CPU time ÷ Δ host CPU time (all cores) × 100, as Kanto. */
    CPU_UTILIZATION("cpu.utilization"),
    /** Bytes: the container's memory limit, else the host's memory. */
    MEMORY_TOTAL("memory.total"),
    /** Bytes in use without the page cache, as {@code docker stats}. */
    MEMORY_USED("memory.used"),
    /** Percent: used ÷ total × 100. */
    MEMORY_UTILIZATION("memory.utilization"),
    /** Bytes read from block devices since the container started. */
    IO_READ_BYTES("io.readBytes"),
    /** Bytes written to block devices since the container started. */
    IO_WRITE_BYTES("io.writeBytes"),
    /** Bytes received on the container's network interfaces. */
    NET_READ_BYTES("net.readBytes"),
    /** Bytes sent on the container's network interfaces. */
    NET_WRITE_BYTES("net.writeBytes"),
    /** Processes and threads in the container. */
    PIDS("pids");

    private final String wireId;

    MeasurementId(String wireId) {
        this.wireId = wireId;
    }

    public String wireId() {
        return wireId;
    }
}

package io.gantry.metrics.sampling;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads container figures straight from the kernel, the way the engine computes them for {@code docker stats}
 * (moby's stats collector with containerd's cgroup readers, and docker/cli's formulas), so that both paths agree:
 * <ul>
 *   <li>CPU: {@code cpuacct.usage} (v1) or {@code usage_usec} of {@code cpu.stat} (v2), in nanoseconds; the host's
 *   time is the sum of the first seven {@code cpu} fields of {@code /proc/stat} at 100 ticks a second, and the online
 *   CPUs are its {@code cpuN} lines.</li>
 *   <li>Memory used: usage minus inactive page cache ({@code total_inactive_file} on v1, {@code inactive_file} on
 *   v2); the limit is the cgroup's, or the host's memory when that is smaller (no limit).</li>
 *   <li>Block I/O: bytes read and written by all devices, from {@code blkio.io_service_bytes_recursive} when the CFQ
 *   files exist, else {@code blkio.throttle.io_service_bytes} (v1), or {@code rbytes}/{@code wbytes} of
 *   {@code io.stat} (v2).</li>
 *   <li>Network: receive and transmit bytes of every interface but {@code lo} in {@code /proc/<pid>/net/dev}.</li>
 *   <li>PIDs: {@code pids.current}.</li>
 * </ul>
 * Stateless apart from the host's memory size, read once; safe to use from one thread at a time.
 */
public final class KernelStats {

    /** USER_HZ: Linux reports /proc/stat in ticks of 1/100 s on every architecture Docker supports. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final int HOST_CPU_FIELDS = 7; // user nice system idle iowait irq softirq, as moby sums them
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private final HostPaths paths;
    private final long hostMemory;

    private KernelStats(HostPaths paths, long hostMemory) {
        this.paths = paths;
        this.hostMemory = hostMemory;
    }

    /**
     * A reader for this host.
     *
     * @throws IOException when {@code meminfo} under the proc root cannot be read: there is no kernel path then
     */
    public static KernelStats open(HostPaths paths) throws IOException {
        String meminfo = read(paths.procRoot().resolve("meminfo"));
        long kib = field(meminfo, "MemTotal:").orElseThrow(() -> new IOException("no MemTotal in meminfo"));
        return new KernelStats(paths, kib * 1024);
    }

    public long hostMemory() {
        return hostMemory;
    }

    /** The host's CPU time and online CPUs at this moment: one reading serves every container of a tick. */
    public HostCpu readHost() throws IOException {
        String stat = read(paths.procRoot().resolve("stat"));
        long ticks = -1;
        int cpus = 0;
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = BLANKS.split(line.trim());
                if (f.length < HOST_CPU_FIELDS + 1) {
                    throw new IOException("too few cpu fields in /proc/stat: " + line);
                }
                ticks = 0;
                for (int i = 1; i <= HOST_CPU_FIELDS; i++) {
                    ticks += Long.parseLong(f[i]);
                }
            } else if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cpus++;
            }
        }
        if (ticks < 0) {
            throw new IOException("no cpu line in /proc/stat");
        }
        return new HostCpu(ticks * NANOS_PER_TICK, Math.max(1, cpus));
    }

    /**
     * One container's counters.
     *
     * @throws java.nio.file.NoSuchFileException when the container's cgroup or process is gone
     * @throws IOException when a file cannot be read or makes no sense
     */
    public ContainerStats read(ContainerId id, ContainerFiles files, HostCpu host, Instant now) throws IOException {
        long cpu;
        long usage;
        long inactiveFile;
        long limit;
        long[] io;
        long pids;
        if (files.cgroup() instanceof CgroupDirs.V1 v1) {
            cpu = number(v1.cpuacct().resolve("cpuacct.usage"));
            usage = number(v1.memory().resolve("memory.usage_in_bytes"));
            inactiveFile = field(read(v1.memory().resolve("memory.stat")), "total_inactive_file").orElse(0L);
            limit = number(v1.memory().resolve("memory.limit_in_bytes"));
            io = v1.blkio().isPresent() ? blkio(v1.blkio().get()) : new long[2];
            pids = v1.pids().isPresent() ? number(v1.pids().get().resolve("pids.current")) : 0;
        } else {
            Path dir = ((CgroupDirs.V2) files.cgroup()).dir();
            cpu = field(read(dir.resolve("cpu.stat")), "usage_usec")
                    .orElseThrow(() -> new IOException("no usage_usec in " + dir.resolve("cpu.stat"))) * 1000;
            usage = number(dir.resolve("memory.current"));
            inactiveFile = field(read(dir.resolve("memory.stat")), "inactive_file").orElse(0L);
            String max = read(dir.resolve("memory.max")).trim();
            limit = max.equals("max") ? Long.MAX_VALUE : parse(max, dir.resolve("memory.max"));
            io = ioStat(dir.resolve("io.stat"));
            Path pidsFile = dir.resolve("pids.current");
            pids = Files.exists(pidsFile) ? number(pidsFile) : 0;
        }
        long used = inactiveFile < usage ? usage - inactiveFile : usage;
        long[] net = files.netDev().isPresent() ? netDev(files.netDev().get()) : new long[2];
        return new ContainerStats(id, now, cpu, host.systemCpuNanos(), host.onlineCpus(), used,
                Math.min(limit, hostMemory), io[0], io[1], net[0], net[1], pids);
    }

    /** {@code blkio.*io_service_bytes*}: lines {@code 8:0 Read 4096}; the {@code Total} line is skipped. */
    private static long[] blkio(Path dir) throws IOException {
        boolean cfq = Files.exists(dir.resolve("blkio.io_serviced_recursive"));
        String text = read(dir.resolve(cfq ? "blkio.io_service_bytes_recursive" : "blkio.throttle.io_service_bytes"));
        long read = 0;
        long write = 0;
        for (String line : text.split("\n")) {
            String[] f = BLANKS.split(line.trim());
            if (f.length != 3) {
                continue;
            }
            if (f[1].equalsIgnoreCase("read")) {
                read += Long.parseLong(f[2]);
            } else if (f[1].equalsIgnoreCase("write")) {
                write += Long.parseLong(f[2]);
            }
        }
        return new long[] {read, write};
    }

    /** {@code io.stat}: lines {@code 8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0}. */
    private static long[] ioStat(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new long[2];
        }
        long read = 0;
        long write = 0;
        for (String line : read(file).split("\n")) {
            for (String pair : BLANKS.split(line.trim())) {
                if (pair.startsWith("rbytes=")) {
                    read += Long.parseLong(pair.substring(7));
                } else if (pair.startsWith("wbytes=")) {
                    write += Long.parseLong(pair.substring(7));
                }
            }
        }
        return new long[] {read, write};
    }

    /** {@code /proc/<pid>/net/dev}: two header lines, then {@code iface: rx-bytes …(8 receive fields) tx-bytes …}. */
    private static long[] netDev(Path file) throws IOException {
        long rx = 0;
        long tx = 0;
        for (String line : read(file).split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            if (line.substring(0, colon).trim().equals("lo")) {
                continue;
            }
            String[] f = BLANKS.split(line.substring(colon + 1).trim());
            if (f.length < 9) {
                continue;
            }
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        return new long[] {rx, tx};
    }

    /** The value after {@code key} on the line that starts with it ({@code memory.stat}, {@code meminfo}, …). */
    static Optional<Long> field(String text, String key) {
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith(key, from) && end > from + key.length()
                    && Character.isWhitespace(text.charAt(from + key.length()))) {
                String[] f = BLANKS.split(text.substring(from + key.length(), end).trim());
                return Optional.of(Long.parseLong(f[0]));
            }
            from = end + 1;
        }
        return Optional.empty();
    }

    private static long number(Path file) throws IOException {
        return parse(read(file).trim(), file);
    }

    private static long parse(String text, Path file) throws IOException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Long.MAX_VALUE; // an unsigned 64-bit "unlimited" that does not fit a long
            }
            throw new IOException("not a number in " + file + ": " + text, e);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    /** The host's CPU time in nanoseconds and its online CPUs, as the engine puts them into its statistics. */
    public record HostCpu(long systemCpuNanos, int onlineCpus) {
    }
}

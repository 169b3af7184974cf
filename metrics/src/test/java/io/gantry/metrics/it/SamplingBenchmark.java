package io.gantry.metrics.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.gantry.core.concurrent.Threads;
import io.gantry.metrics.sampling.HostPaths;
import io.gantry.metrics.sampling.Sampler;
import io.gantry.metrics.sampling.Target;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sampling 50 running containers once a second costs, on the kernel path and on the Docker API path: wall time
 * per tick, the sampling thread's CPU time ({@code ThreadMXBean}), Gantry's whole JVM's CPU time above its idle level
 * ({@code getProcessCpuTime}; it includes the API pool's threads, JIT and GC), and the engine's CPU time (dockerd,
 * containerd and the shims, from /proc) above its idle level. Not part of the normal test run (the name
 * matches no include); run it with:
 *
 * <pre>mvn -B -o -pl metrics -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=SamplingBenchmark -Dfailsafe.failIfNoSpecifiedTests=false</pre>
 *
 * The figures go to the log and to {@code metrics/target/sampling-benchmark.txt}; docs/benchmarks.md has the last
 * run's.
 */
class SamplingBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(SamplingBenchmark.class);
    private static final int CONTAINERS = Integer.getInteger("bench.containers", 50);
    private static final int TICKS = Integer.getInteger("bench.ticks", 60);
    private static final int WARMUP = 10;
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofMillis(800);

    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Test
    void fiftyContainersAtOneSecond() throws Exception {
        List<String> report = new ArrayList<>();
        try (DockerCli cli = new DockerCli("bench")) {
            for (int i = 0; i < CONTAINERS; i++) {
                cli.start(String.format("c%02d", i), List.of());
            }
            String prefix = cli.prefix();
            ApiEngine engine = new ApiEngine(name -> name.startsWith(prefix));
            List<Target> targets = engine.list().stream().filter(c -> c.state().isRunning()).map(Target::from)
                    .toList();
            assertThat(targets).hasSize(CONTAINERS);
            ExecutorService pool = Threads.pool("bench-metrics-engine", Sampler.API_THREADS);
            try {
                report.add(String.format(Locale.ROOT, "machine: %d CPUs, %s, Java %s, %s", os.getAvailableProcessors(),
                        System.getProperty("os.name") + " " + System.getProperty("os.version"),
                        System.getProperty("java.version"), engineVersion(cli)));
                report.add(String.format(Locale.ROOT, "%d containers, %d ticks at %s (after %d warm-up ticks)",
                        CONTAINERS, TICKS, PERIOD, WARMUP));
                double[] idle = idleCpuMillisPerSecond();
                report.add(String.format(Locale.ROOT, "idle (nothing sampled): Gantry JVM %.1f ms CPU/s, engine "
                        + "%.1f ms CPU/s", idle[0], idle[1]));
                report.add(run("kernel", Sampler.create(HostPaths.DEFAULT, engine, pool, Clock.systemUTC()),
                        targets, idle));
                report.add(run("engine API", Sampler.engineOnly(engine, pool, Clock.systemUTC()), targets, idle));
            } finally {
                Threads.shutdown(pool, 5);
            }
        }
        report.forEach(line -> LOG.info("{}", line));
        Files.write(Path.of("target", "sampling-benchmark.txt"), report, StandardCharsets.UTF_8);
    }

    private String run(String path, Sampler sampler, List<Target> targets, double[] idle) throws IOException {
        for (int i = 0; i < WARMUP; i++) {
            sampler.read(targets, DEADLINE);
        }
        List<Double> wallMillis = new ArrayList<>();
        long threadNanos = 0;
        int missed = 0;
        long processBefore = os.getProcessCpuTime();
        long engineBefore = engineCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < TICKS; i++) {
            long due = start + i * PERIOD.toNanos();
            LockSupport.parkNanos(Math.max(0, due - System.nanoTime()));
            long t0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            Sampler.Reading reading = sampler.read(targets, DEADLINE);
            threadNanos += threads.getCurrentThreadCpuTime() - c0;
            wallMillis.add((System.nanoTime() - t0) / 1e6);
            missed += reading.missed();
        }
        long end = start + TICKS * PERIOD.toNanos();
        LockSupport.parkNanos(Math.max(0, end - System.nanoTime()));
        double seconds = (System.nanoTime() - start) / 1e9;
        double processMillis = (os.getProcessCpuTime() - processBefore) / 1e6;
        double engineMillisPerSecond = (engineCpuNanos() - engineBefore) / 1e6 / seconds;
        Collections.sort(wallMillis);
        double gantryPerSecond = processMillis / seconds - idle[0];
        return String.format(Locale.ROOT,
                "%-10s wall per tick p50 %.1f ms, p95 %.1f ms, max %.1f ms; sampling thread CPU %.2f ms per tick; "
                        + "Gantry JVM CPU above idle %.1f ms/s (%.2f%% of one core); engine CPU above idle %.1f ms/s "
                        + "(%.2f%% of one core); containers missed %d of %d",
                path, wallMillis.get(wallMillis.size() / 2), wallMillis.get(wallMillis.size() * 95 / 100),
                wallMillis.get(wallMillis.size() - 1), threadNanos / 1e6 / TICKS, gantryPerSecond,
                gantryPerSecond / 10, engineMillisPerSecond - idle[1], (engineMillisPerSecond - idle[1]) / 10,
                missed, TICKS * targets.size());
    }

    /** Gantry's JVM and the engine's CPU use (ms per second) while nothing is sampled, for 30 s. */
    private double[] idleCpuMillisPerSecond() throws IOException {
        long process = os.getProcessCpuTime();
        long engine = engineCpuNanos();
        long start = System.nanoTime();
        LockSupport.parkNanos(Duration.ofSeconds(30).toNanos());
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {(os.getProcessCpuTime() - process) / 1e6 / seconds,
            (engineCpuNanos() - engine) / 1e6 / seconds};
    }

    /** utime + stime of dockerd, containerd and every containerd shim (USER_HZ = 100). */
    private static long engineCpuNanos() throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p ->
                p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                try {
                    String comm = Files.readString(p.resolve("comm")).trim();
                    if (comm.equals("dockerd") || comm.equals("containerd") || comm.startsWith("containerd-shim")) {
                        String stat = Files.readString(p.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return ticks * 10_000_000L;
    }

    private static String engineVersion(DockerCli cli) {
        return "Docker " + cli.docker("version", "--format",
                "{{.Server.Version}} (API {{.Server.APIVersion}})").trim()
                + ", cgroup " + cli.docker("info", "--format", "{{.CgroupVersion}} {{.CgroupDriver}}").trim();
    }
}

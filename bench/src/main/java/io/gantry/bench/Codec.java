package io.gantry.bench;

import io.gantry.bench.codec.EnvelopeBenchmark;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Group 4 run with JMH: {@link EnvelopeBenchmark} in a forked JVM of the runtime the package's launcher picks, with
 * its JVM options (C1 only, serial GC, 64 MiB heap, as the agent runs) and once with the JVM's defaults (C2).
 */
final class Codec {

    private final boolean quick;
    private final Path jmhLog;
    private final GantryBench.Launcher launcher;

    Codec(boolean quick, Path jmhLog, GantryBench.Launcher launcher) {
        this.quick = quick;
        this.jmhLog = jmhLog;
        this.launcher = launcher;
    }

    void run(Report report) {
        Collection<RunResult> agent = measure(launcher.options());
        Collection<RunResult> defaults = measure(List.of());
        Report.Table t = report.table("Codec: Ditto envelopes per second on one thread (JMH)", "benchmark",
                "launcher's JVM options", "JVM defaults (C2)");
        for (RunResult r : agent) {
            String name = r.getParams().getBenchmark().replaceFirst(".*\\.", "");
            RunResult d = defaults.stream().filter(x -> x.getParams().getBenchmark().equals(r.getParams()
                    .getBenchmark())).findFirst().orElse(null);
            t.row(name, rate(r), d == null ? "–" : rate(d));
        }
        t.note("Throughput mode, 1 fork, " + (quick ? "1 × 1 s warm-up, 3 × 1 s" : "3 × 1 s warm-up, 5 × 1 s")
                + " measured; ± is JMH's 99.9 % confidence interval. Launcher's options: `"
                + String.join(" ", launcher.options()) + "`; both on " + launcher.javaVersion() + ", the agent's runtime. "
                + "JMH's own output: " + jmhLog + ".");
        report.add(t);
    }

    private static String rate(RunResult r) {
        double score = r.getPrimaryResult().getScore();
        double error = r.getPrimaryResult().getScoreError();
        return Report.number("%,.0f", score) + (Double.isNaN(error) ? "" : " ± " + Report.number("%,.0f", error))
                + " /s";
    }

    private Collection<RunResult> measure(List<String> jvmOptions) {
        Options options = new OptionsBuilder().include(EnvelopeBenchmark.class.getName() + "\\.")
                .forks(1).warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(1))
                .jvm(launcher.java()).jvmArgs(jvmOptions.toArray(String[]::new)).output(jmhLog.toString()).build();
        try {
            return new Runner(options).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }
}

package io.gantry.bench;

import io.gantry.app.testing.PackagedGantry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/gantry-bench}: measures, in one run, how fast the packaged agent converges against the engine's floor,
 * how fresh its twin is, what it costs at rest and how fast its codec is, and prints one Markdown report (the same
 * text goes to a file, for docs/benchmarks.md). Figures are reported, never asserted.
 */
@Command(name = "gantry-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks the packaged Gantry agent against a private Docker engine and a real Mosquitto.")
public final class GantryBench implements Callable<Integer> {

    private static final Set<String> GROUPS = Set.of("convergence", "overlap", "freshness", "footprint", "hostile",
            "upstream", "cli", "codec", "signatures");

    @Spec
    CommandSpec spec;

    @Option(names = "--quick",
            description = "Fewer repetitions and trials, for a rough look (the full run takes about 15 minutes).")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "GROUP",
            description = "Run only these groups: convergence, overlap, freshness, footprint, hostile, upstream, cli,"
                    + " codec, signatures (default: all).")
    List<String> only = List.of("convergence", "overlap", "freshness", "footprint", "hostile", "upstream", "cli",
            "codec", "signatures");

    @Option(names = "--deb", paramLabel = "FILE", description = "The Debian package to run (default: the build's).")
    Path deb;

    @Option(names = "--java-home", paramLabel = "DIR", defaultValue = "/usr/lib/jvm/java-17-openjdk-amd64",
            description = "JAVA_HOME for the package's launcher: the Java 17 the package depends on (default: "
                    + "${DEFAULT-VALUE}); empty lets the launcher pick the newest runtime it finds.")
    String javaHome;

    @Option(names = "--agent-log-level", paramLabel = "LEVEL", defaultValue = "INFO",
            description = "The agent's log.log_level (default: ${DEFAULT-VALUE}; DEBUG to see where the time goes). "
                    + "The agents' logs are kept in agent-logs/ beside the report.")
    String agentLogLevel;

    @Option(names = "--broker-line", paramLabel = "LINE",
            description = "A line for the bench's mosquitto.conf, e.g. \"set_tcp_nodelay true\" (repeatable).")
    List<String> brokerLines = List.of();

    @Option(names = "--agent-java-opts", paramLabel = "OPTS",
            description = "JVM options for the agent instead of the launcher's defaults (GANTRY_JAVA_OPTS), to try a "
                    + "budget before it goes into the launcher.")
    String agentJavaOpts;

    @Option(names = "--out", paramLabel = "FILE", description = "Where the report goes (default: ${DEFAULT-VALUE}).",
            defaultValue = "bench/target/gantry-bench.md")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GantryBench()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        for (String group : only) {
            if (!GROUPS.contains(group)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such group: " + group);
            }
        }
        Path root = TestImages.repositoryRoot();
        Path debFile = deb != null ? deb : root.resolve("deb/target/gantry_0.1.0_all.deb");
        if (!Files.isRegularFile(debFile)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no package at " + debFile
                    + " (bin/gantry-bench builds it)");
        }
        Path outFile = out.isAbsolute() ? out : root.resolve(out);
        Report report = new Report(console);
        Map<String, String> environment = new java.util.HashMap<>();
        if (!javaHome.isBlank()) {
            environment.put("JAVA_HOME", javaHome);
        }
        if (agentJavaOpts != null) {
            environment.put("GANTRY_JAVA_OPTS", agentJavaOpts);
        }
        Launcher launcher = launcher(debFile, environment);
        String loadBefore = Machine.loadAverage();
        String header = "## Results " + OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                + (quick ? " (--quick)" : "") + (brokerLines.isEmpty() ? "" : ", mosquitto.conf + " + brokerLines)
                + "\n\n";
        if (only.stream().anyMatch(g -> !g.equals("codec") && !g.equals("signatures"))) {
            try (Rig rig = Rig.start(debFile, environment, brokerLines)) {
                rig.agentLogLevel(agentLogLevel);
                report.header(header + Machine.describe(rig.engineFacts(), launcher) + "| load average at start | "
                        + loadBefore + " (1, 5, 15 min) |\n\n");
                if (only.contains("convergence")) {
                    new Convergence(rig, quick).run(report);
                    loadNote(report, "convergence");
                }
                if (only.contains("overlap")) {
                    new Overlap(rig, quick).run(report);
                    loadNote(report, "overlap");
                }
                if (only.contains("freshness")) {
                    new Freshness(rig, quick).run(report);
                    loadNote(report, "freshness");
                }
                if (only.contains("footprint")) {
                    new Footprint(rig, quick).run(report);
                    loadNote(report, "footprint");
                }
                if (only.contains("hostile")) {
                    new Hostile(rig, quick).run(report);
                    loadNote(report, "hostile");
                }
                if (only.contains("upstream")) {
                    new Upstream(rig, quick).run(report);
                    loadNote(report, "upstream");
                }
                if (only.contains("cli")) {
                    new Cli(rig, quick).run(report);
                    loadNote(report, "cli");
                }
                rig.keepAgentLogs(outFile.resolveSibling("agent-logs"));
            }
        } else {
            report.header(header + Machine.describe(null, launcher) + "| load average at start | " + loadBefore
                    + " (1, 5, 15 min) |\n\n");
        }
        if (only.contains("codec")) {
            new Codec(quick, outFile.resolveSibling("jmh.txt"), launcher).run(report);
            loadNote(report, "codec");
        }
        if (only.contains("signatures")) {
            new Signatures(quick).run(report);
            loadNote(report, "signatures");
        }
        report.write(outFile);
        console.println("Report written to " + outFile);
        console.flush();
        return 0;
    }

    private static void loadNote(Report report, String group) {
        report.header("Load average after " + group + ": " + Machine.loadAverage() + "\n\n");
    }

    /** What the package's launcher would run: its default JVM options and the Java runtime it picks here. */
    record Launcher(List<String> options, String java, String javaVersion) {
    }

    /** Reads the launcher from the package, so that the figures never drift from what it does. */
    static Launcher launcher(Path deb, Map<String, String> environment) {
        try {
            Path dir = Files.createTempDirectory("gantry-bench-launcher-");
            try {
                Processes.run("dpkg-deb", "-x", deb.toString(), dir.toString());
                String script = Files.readString(dir.resolve("usr/bin/gantry"));
                if (!script.contains("exec \"$JAVA\"")) {
                    throw new IllegalStateException("the launcher has no exec \"$JAVA\"");
                }
                List<String> options = PackagedGantry.defaultJvmOptions(script);
                // The same script, stopping where it would start the JVM: it prints the runtime it chose.
                Path which = dir.resolve("which-java");
                Files.writeString(which, script.replace("exec \"$JAVA\"", "echo \"$JAVA\"; exit 0; exec \"$JAVA\""));
                String java = Processes.run(environment, "sh", which.toString(), "version").lines().reduce((a, b) -> b).orElseThrow();
                String version = Processes.attempt(Map.of(), java, "-version").stderr().lines()
                        .filter(l -> l.contains("Runtime Environment")).findFirst().orElse("?").strip();
                return new Launcher(options, java, version);
            } finally {
                Processes.run("rm", "-rf", dir.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.gantry.bench;

import io.gantry.app.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent as the Debian package installs and starts it: the .deb's files unpacked under a directory, and its
 * launcher ({@code /usr/bin/gantry}) run with only its three fixed paths moved there (the package's folder, the
 * state directory and {@code /etc/default/gantry}). So the JVM options, the stored jars and the class-data-sharing
 * scheme (the first run writes {@code gantry.jsa}, later runs map it) are exactly the package's.
 */
final class PackagedAgent {

    private final Path launcher;
    private final Path stateDir;
    private final Map<String, String> environment;

    private PackagedAgent(Path launcher, Path stateDir, Map<String, String> environment) {
        this.launcher = launcher;
        this.stateDir = stateDir;
        this.environment = Map.copyOf(environment);
    }

    /** Unpacks {@code deb} under {@code dir} and writes a launcher that uses it, run with {@code environment}. */
    static PackagedAgent install(Path deb, Path dir, Map<String, String> environment) {
        try {
            Path root = dir.resolve("root");
            Files.createDirectories(root);
            Processes.run("dpkg-deb", "-x", deb.toString(), root.toString());
            Path stateDir = Files.createDirectories(dir.resolve("state"));
            String original = Files.readString(root.resolve("usr/bin/gantry"));
            String script = replace(replace(replace(original,
                    "GANTRY_HOME=/usr/share/gantry", "GANTRY_HOME=" + root.resolve("usr/share/gantry")),
                    "STATE_DIR=/var/lib/gantry", "STATE_DIR=" + stateDir),
                    "/etc/default/gantry", dir.resolve("default-gantry").toString());
            Path launcher = dir.resolve("gantry");
            Files.writeString(launcher, script);
            launcher.toFile().setExecutable(true);
            return new PackagedAgent(launcher, stateDir, environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String replace(String text, String what, String with) {
        if (!text.contains(what)) {
            throw new IllegalStateException("the package's launcher no longer contains \"" + what + "\"");
        }
        return text.replace(what, with);
    }

    Path stateDir() {
        return stateDir;
    }

    /** The class-data archive the CLI commands share (the first command writes it). */
    Path cliArchive() {
        return stateDir.resolve("gantry-cli.jsa");
    }

    /** A CLI command as an operator types it ({@code gantry ps}), with the bench's environment and {@code extra}. */
    ProcessBuilder command(Map<String, String> extra, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().putAll(extra);
        return builder;
    }

    /** The class-data archive the launcher's first run writes. */
    Path archive() {
        return stateDir.resolve("gantry.jsa");
    }

    void deleteArchive() {
        try {
            Files.deleteIfExists(archive());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code gantry run --config FILE}, as the systemd unit runs it; output appended to {@code log}. */
    Running start(Path config, Path log) {
        try {
            Instant spawned = Instant.now();
            ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString(), "run", "--config",
                    config.toString())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new Running(process, spawned, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started agent. The launcher ends with {@code exec java …}, so the process is the JVM. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final Instant spawned;
        private final Path log;

        private Running(Process process, Instant spawned, Path log) {
            this.process = process;
            this.spawned = spawned;
            this.log = log;
        }

        Instant spawned() {
            return spawned;
        }

        long pid() {
            return process.pid();
        }

        /** The command line of the JVM, from /proc: what the launcher made of its options. */
        String commandLine() {
            return Machine.read("/proc/" + pid() + "/cmdline").replace('\0', ' ').strip();
        }

        /** A number field of /proc/PID/status: {@code VmRSS}, {@code VmHWM} (in KiB), {@code Threads}, …. */
        long status(String field) {
            return Machine.read("/proc/" + pid() + "/status").lines().filter(l -> l.startsWith(field + ":"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(-1L);
        }

        /** User plus system CPU time of every thread so far, in milliseconds (/proc/PID/stat, 100 ticks a second). */
        double cpuMillis() {
            String stat = Machine.read("/proc/" + pid() + "/stat");
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime and stime are fields 14 and 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        }

        /** Whether the JVM has the class-data archive {@code archive} mapped (it falls back silently when not). */
        boolean maps(Path archive) {
            return Machine.read("/proc/" + pid() + "/maps").contains(archive.toString());
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** SIGTERM, as systemd stops the service, and waits: the first run writes its class archive on the way out. */
        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The agent's configuration file for a bench: the bench's broker, engine and state directory; the Prometheus
     * endpoint on {@code prometheusListen} unless it is empty, and the {@code dashboard} section (a JSON object) unless
     * it is empty.
     */
    static String config(String brokerUrl, String engineHost, Path stateDir, String settleTime, String device,
                         String logLevel, String prometheusListen) {
        return config(brokerUrl, engineHost, stateDir, settleTime, device, logLevel, prometheusListen, "30s", "");
    }

    /**
     * The same, with {@code engine.default_stop_timeout} {@code stopTimeout} and the {@code dashboard} section (a JSON
     * object) unless empty.
     */
    static String config(String brokerUrl, String engineHost, Path stateDir, String settleTime, String device,
                         String logLevel, String prometheusListen, String stopTimeout, String dashboard) {
        return """
                {
                  "log": {"log_level": "%s"},
                  "connection": {"broker_url": "%s", "client_id": "gantry-bench"},
                  "things": {"enable": true, "device_id": "%s", "tenant_id": "bench"},
                  "update_agent": {"enable": true, "settle_time": "%s"},
                  "metrics": {"prometheus": {"enable": %s, "listen": "%s"}},
                  "engine": {"host": "%s", "default_stop_timeout": "%s"},
                  "deployment": {"enable": false},
                  %s"state_dir": "%s"
                }
                """.formatted(logLevel, brokerUrl, device, settleTime, !prometheusListen.isEmpty(),
                prometheusListen.isEmpty() ? "127.0.0.1:9464" : prometheusListen, engineHost, stopTimeout,
                dashboard.isEmpty() ? "" : "\"dashboard\": " + dashboard + ",\n  ", stateDir);
    }
}

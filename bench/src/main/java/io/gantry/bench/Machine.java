package io.gantry.bench;

import io.gantry.app.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Facts about the machine a bench runs on, read from /proc and the tools themselves. */
final class Machine {

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
    static String loadAverage() {
        String[] parts = read("/proc/loadavg").split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "?";
    }

    /** A Markdown table of the machine; {@code engine} may be null when no engine was started. */
    static String describe(PrivateEngineFacts engine, GantryBench.Launcher launcher) {
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        long cores = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("processor")).count();
        String memory = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB").orElse("?");
        String os = read("/etc/os-release").lines().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
                .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).orElse("?");
        String kernel = Processes.attempt(Map.of(), "uname", "-r").stdout().strip();
        String mosquitto = Processes.attempt(Map.of(), "mosquitto", "-h").stdout().lines().findFirst()
                .orElse("mosquitto ?").strip();
        return "| | |\n|---|---|\n"
                + "| CPU | " + cores + " × " + cpu + " |\n"
                + "| memory | " + memory + " |\n"
                + "| system | " + os + ", Linux " + kernel + " |\n"
                + "| Java of the agent | " + launcher.javaVersion() + " (`" + launcher.java() + "`, as the package's launcher "
                + "picks it with the bench's JAVA_HOME; JMH forks use it too) |\n"
                + "| Java of the harness | " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + " |\n"
                + (engine == null ? "" : "| Docker | " + engine.version() + " (a private dockerd, storage driver "
                + engine.storageDriver() + ", cgroup v" + engine.cgroupVersion() + ") |\n")
                + "| MQTT broker | " + mosquitto + " |\n";
    }

    /** What the report says about the engine under test. */
    record PrivateEngineFacts(String version, String storageDriver, String cgroupVersion) {
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}

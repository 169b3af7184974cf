package io.gantry.app.cli;

import io.gantry.config.ByteSize;
import io.gantry.config.Durations;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.Health;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Resources;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Containers in words for people: the status column of {@code ps} and the key-value block of {@code inspect}. */
final class Describe {

    private Describe() {
    }

    /** {@code Up 5 minutes}, {@code Exited (0) 2 hours ago}, {@code Up 3 seconds (Paused)}, {@code Created}. */
    static String status(ContainerState s, Instant now) {
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + since(s.startedAt(), now) + health(s.health());
            case PAUSED -> "Up " + since(s.startedAt(), now) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + since(s.finishedAt(), now) + " ago";
            case REMOVING -> "Removal in progress";
            case EXITED -> "Exited (" + s.exitCode() + ") " + since(s.finishedAt(), now) + " ago";
            case DEAD -> "Dead";
        };
    }

    private static String health(Health health) {
        return switch (health) {
            case NONE -> "";
            case STARTING -> " (health: starting)";
            case HEALTHY -> " (healthy)";
            case UNHEALTHY -> " (unhealthy)";
        };
    }

    /** A rough age, as docker prints it: {@code 5 seconds}, {@code About a minute}, {@code 3 hours}, {@code 2 days}. */
    static String since(Optional<Instant> time, Instant now) {
        if (time.isEmpty()) {
            return "a while";
        }
        long seconds = Math.max(0, Duration.between(time.get(), now).getSeconds());
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds < 60) {
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes == 1 ? "About a minute" : minutes + " minutes";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours == 1 ? "About an hour" : hours + " hours";
        }
        return (hours / 24) + " days";
    }

    static void inspect(Container c, Instant now, PrintWriter out) {
        ContainerSpec s = c.spec();
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("ID", c.id().value());
        lines.put("Name", c.name().value());
        lines.put("Image", c.image().text() + " (" + c.imageId() + ")");
        lines.put("Managed", c.managed() ? "yes" : "no");
        lines.put("Created", c.createdAt().toString());
        lines.put("Status", status(c.state(), now) + (c.state().pid() > 0 ? ", pid " + c.state().pid() : "")
                + (c.state().error().isEmpty() ? "" : ", error: " + c.state().error()));
        lines.put("Restarts", Integer.toString(c.state().restartCount()));
        lines.put("Entrypoint", list(s.entrypoint(), " "));
        lines.put("Command", list(s.cmd(), " "));
        lines.put("Env", list(s.env(), ", "));
        lines.put("Hostname", dash(s.hostname()) + (s.domainname().isEmpty() ? "" : " (domain " + s.domainname() + ")"));
        lines.put("Network", s.network().dockerName());
        lines.put("Ports", list(s.ports(), ", "));
        lines.put("Extra hosts", list(s.extraHosts(), ", "));
        lines.put("Mounts", list(s.mounts(), ", "));
        lines.put("Devices", list(s.devices(), ", "));
        lines.put("Privileged", s.privileged() ? "yes" : "no");
        lines.put("Restart policy", s.restartPolicy().toString() + (s.restartPolicy().retryTimeout().isZero() ? ""
                : " (retry timeout " + Durations.format(s.restartPolicy().retryTimeout()) + ")"));
        lines.put("Log", log(s.log()));
        lines.put("Resources", resources(s.resources()));
        lines.put("Runtime", dash(s.runtime()));
        lines.put("TTY", (s.tty() ? "yes" : "no") + ", interactive " + (s.openStdin() ? "yes" : "no"));
        lines.put("Labels", list(s.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
                ", "));
        lines.put("Gantry labels", list(c.gantryLabels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList(), ", "));
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        lines.forEach((k, v) -> out.println((k + ":" + " ".repeat(width)).substring(0, width) + v));
        out.flush();
    }

    static String log(LogConfig log) {
        List<String> parts = new ArrayList<>();
        if (log.rotates()) {
            parts.add((log.maxFiles() == 0 ? "engine default" : log.maxFiles()) + " files of "
                    + log.maxSize().map(ByteSize::format).orElse("unlimited size"));
        }
        if (log.mode() == LogConfig.Mode.NON_BLOCKING) {
            parts.add("non-blocking, buffer " + log.maxBufferSize().map(ByteSize::format).orElse("default"));
        }
        log.options().forEach((k, v) -> parts.add(k + "=" + v));
        return log.driver() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    static String resources(Resources r) {
        List<String> parts = new ArrayList<>();
        r.memory().ifPresent(m -> parts.add("memory " + m.format()));
        r.memoryReservation().ifPresent(m -> parts.add("reservation " + m.format()));
        if (r.unlimitedSwap()) {
            parts.add("swap unlimited");
        }
        r.memorySwap().ifPresent(m -> parts.add("memory+swap " + m.format()));
        r.cpus().ifPresent(c -> parts.add("cpus " + c.toPlainString()));
        r.gpus().ifPresent(g -> parts.add("gpus " + g));
        return parts.isEmpty() ? "no limits" : String.join(", ", parts);
    }

    private static String list(List<?> values, String separator) {
        return values.isEmpty() ? "-" : values.stream().map(Object::toString).collect(Collectors.joining(separator));
    }

    private static String dash(String value) {
        return value.isEmpty() ? "-" : value;
    }
}

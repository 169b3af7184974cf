package io.gantry.core.time;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The system's "time good" status, asked in order: a status file (non-empty content means synchronised, as the
 * Unwired platform's {@code /host/.time-status}; the configured one, else {@code /host/.time-status} when it
 * exists), systemd-timesyncd's {@code /run/systemd/timesync/synchronized} (present once it synchronised),
 * {@code chronyc -n tracking}'s leap status, then {@code timedatectl}'s {@code NTPSynchronized}, which is the
 * kernel's own flag (adjtimex without {@code STA_UNSYNC}). The first that can tell answers.
 *
 * <p>Tools run with a timeout of 5 s and their output is bounded; missing tools are skipped.
 */
public final class SystemTimeSync implements TimeSyncSource {

    public static final Path UNWIRED_TIME_STATUS = Path.of("/host/.time-status");
    static final Path TIMESYNCD_SYNCHRONIZED = Path.of("/run/systemd/timesync/synchronized");
    private static final int MAX_FILE_BYTES = 4096;
    private static final long TOOL_TIMEOUT_SECONDS = 5;

    private final Supplier<Optional<Path>> statusFile;
    private final Path unwiredFile;
    private final Path timesyncdFile;
    private final Tool tool;

    /** Runs a command and returns its output when it exits 0 within the timeout. */
    @FunctionalInterface
    interface Tool {
        Optional<String> run(List<String> command);
    }

    /** @param statusFile the configured status file, read at each {@link #read()} (it may change live) */
    public SystemTimeSync(Supplier<Optional<Path>> statusFile) {
        this(statusFile, UNWIRED_TIME_STATUS, TIMESYNCD_SYNCHRONIZED, SystemTimeSync::runTool);
    }

    SystemTimeSync(Supplier<Optional<Path>> statusFile, Path unwiredFile, Path timesyncdFile, Tool tool) {
        this.statusFile = statusFile;
        this.unwiredFile = unwiredFile;
        this.timesyncdFile = timesyncdFile;
        this.tool = tool;
    }

    @Override
    public TimeSync read() {
        Optional<Path> file = statusFile.get().or(() -> Files.exists(unwiredFile) ? Optional.of(unwiredFile)
                : Optional.empty());
        if (file.isPresent()) {
            return fromFile(file.get());
        }
        if (Files.exists(timesyncdFile)) {
            return TimeSync.synchronised(timesyncdFile.toString());
        }
        return tool.run(List.of("chronyc", "-n", "tracking")).flatMap(SystemTimeSync::chrony)
                .or(() -> tool.run(List.of("timedatectl", "show", "--property=NTPSynchronized", "--value"))
                        .flatMap(SystemTimeSync::timedatectl))
                .orElse(TimeSync.unknown("no time-status file, no systemd-timesyncd, no chronyc or timedatectl answer"));
    }

    /** A status file: non-empty means synchronised; empty, missing or unreadable means not. */
    static TimeSync fromFile(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            // Only whether it holds something matters: a prefix tells.
            String content = new String(in.readNBytes(MAX_FILE_BYTES), java.nio.charset.StandardCharsets.UTF_8);
            return content.isBlank() ? TimeSync.notSynchronised(file + " is empty") : TimeSync.synchronised(file.toString());
        } catch (IOException e) {
            return TimeSync.notSynchronised(file + " cannot be read: " + e.getMessage());
        }
    }

    /** {@code chronyc tracking}: "Leap status : Normal" (or an announced leap second) once synchronised. */
    static Optional<TimeSync> chrony(String output) {
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("Leap status")) {
                String leap = line.substring(colon + 1).strip();
                return Optional.of(leap.toLowerCase(Locale.ROOT).equals("not synchronised")
                        ? TimeSync.notSynchronised("chronyc: Leap status " + leap)
                        : TimeSync.synchronised("chronyc: Leap status " + leap));
            }
        }
        return Optional.empty();
    }

    /** {@code timedatectl show --property=NTPSynchronized --value}: {@code yes} or {@code no}. */
    static Optional<TimeSync> timedatectl(String output) {
        return switch (output.strip()) {
            case "yes" -> Optional.of(TimeSync.synchronised("timedatectl: NTPSynchronized=yes"));
            case "no" -> Optional.of(TimeSync.notSynchronised("timedatectl: NTPSynchronized=no"));
            default -> Optional.empty();
        };
    }

    private static Optional<String> runTool(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.empty(); // not installed
        }
        try {
            if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            byte[] out = p.getInputStream().readNBytes(MAX_FILE_BYTES);
            return p.exitValue() == 0 ? Optional.of(new String(out, java.nio.charset.StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Optional.empty();
        } finally {
            p.destroy();
        }
    }
}

package io.gantry.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.docker.DockerContainerEngine;
import io.gantry.app.doctor.ClockCheck;
import io.gantry.app.doctor.Doctor;
import io.gantry.app.doctor.Finding;
import io.gantry.core.container.ContainerEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry doctor}: checks the gateway in one go, one line per check with its verdict and the fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks the configuration, engine, broker, twin identity, update journal, disk, clock and the "
                + "managed containers' images; one line per check, with the fix for each failure.",
            "Exit code 0 when nothing failed (warnings included), 1 when a check failed."})
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long the broker and the cloud connector get to answer (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--time-status", paramLabel = "FILE",
            description = "A file whose non-empty content says the clock is synchronised (default: "
                    + "time_sync.status_file, else /host/.time-status when it exists, else systemd-timesyncd, "
                    + "chronyc or timedatectl).")
    Path timeStatus;

    /** {@code --time-status}, else {@code time_sync.status_file} of a configuration that can be read. */
    private Optional<Path> timeStatusFile() {
        if (timeStatus != null) {
            return Optional.of(timeStatus);
        }
        try {
            String configured = gantry.loadConfig().timeSync().statusFile();
            return configured.isEmpty() ? Optional.empty() : Optional.of(Path.of(configured));
        } catch (RuntimeException e) { // the configuration check reports why; the system's sources still answer
            return Optional.empty();
        }
    }

    @Override
    public Integer call() {
        if (waitSeconds < 1) {
            throw GantryCommand.badValue(gantry.spec, "--wait",
                    new IllegalArgumentException(waitSeconds + " is not a positive number of seconds"));
        }
        Doctor doctor = new Doctor(gantry::loadConfig, config -> {
            ContainerEngine engine = gantry.engines().open(config);
            return new Doctor.EngineAccess(engine, engine instanceof DockerContainerEngine docker
                    ? Optional.of(docker.images()) : Optional.empty());
        }, gantry.transports(), new ClockCheck(this::timeStatusFile), gantry.clock(),
                Duration.ofSeconds(waitSeconds));
        List<Finding> findings = doctor.run();
        boolean failed = findings.stream().anyMatch(f -> f.verdict() == Finding.Verdict.FAIL);
        if (gantry.output() == OutputFormat.JSON) {
            ObjectNode root = ContainerJson.JSON.createObjectNode();
            root.put("ok", !failed);
            ArrayNode checks = root.putArray("checks");
            for (Finding f : findings) {
                ObjectNode check = checks.addObject();
                check.put("check", f.check());
                check.put("verdict", f.verdict().name().toLowerCase(Locale.ROOT));
                check.put("detail", f.detail());
                if (f.fix() != null) {
                    check.put("fix", f.fix());
                }
            }
            gantry.out().println(ContainerJson.print(root));
        } else {
            for (Finding f : findings) {
                gantry.out().printf("%-4s  %-14s  %s%s%n", f.verdict(), f.check(), f.detail(),
                        f.fix() == null ? "" : " — fix: " + f.fix());
            }
        }
        gantry.out().flush();
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }
}

package io.gantry.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.AgentConfig;
import io.gantry.config.Durations;
import io.gantry.update.protocol.Command;
import io.gantry.update.protocol.FeedbackStatus;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WireCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry apply -f FILE}: sends a desired state to the update agent over the configuration's broker and prints
 * the feedback until the operation ends; the exit code says how it ended. With {@code --drive} it also sends the
 * phase commands an update manager would (reference/kanto-cua.md §3.4), for an agent in orchestrated mode.
 */
@CommandLine.Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Sends a desired state to the update agent and prints its feedback until the operation ends.")
final class ApplyCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The desired state: an envelope, a payload or a list of containers; - reads standard input.")
    String file;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait for the operation to end (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--drive",
            description = "Send DOWNLOAD, UPDATE, ACTIVATE and CLEANUP as each phase succeeds (and CLEANUP after a "
                    + "failure), as an update manager would, for an agent in orchestrated mode.")
    boolean drive;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The MQTT broker (default: connection.broker_url of the configuration).")
    String broker;

    @Override
    public Integer call() {
        Duration wait = GantryCommand.option(spec, "--timeout", () -> positive(Durations.parse(timeout)));
        AgentConfig config = CliConfig.load(Optional.ofNullable(gantry.config), Optional.empty());
        UpdateTopics topics = UpdateTopics.of(config.updateAgent().domain());
        String source = file.equals("-") ? "standard input" : file;
        DesiredStateFile.Prepared desired = DesiredStateFile.prepare(source, read(source), topics,
                () -> UUID.randomUUID().toString(), gantry.clock().millis());
        Instant deadline = gantry.clock().instant().plus(wait);
        try (UpdateChannel channel = UpdateChannel.open(gantry.transports(),
                UpdateChannel.connection(config, broker), topics, min(config.connection().connectTimeout(), wait),
                gantry.clock())) {
            gantry.err().println("Applying " + source + " as activity " + desired.activityId() + " on "
                    + topics.desiredState());
            gantry.err().flush();
            channel.publish(topics.desiredState(), desired.envelope());
            return follow(channel, desired.activityId(), deadline, wait, config.updateAgent().orchestrated());
        }
    }

    /** Prints the activity's feedback until its final status or the deadline; drives the phases if asked to. */
    private int follow(UpdateChannel channel, String activityId, Instant deadline, Duration wait,
                       boolean orchestrated) {
        UpdateTopics topics = channel.topics();
        FeedbackPrinter printer = new FeedbackPrinter(gantry.out(), gantry.clock().getZone(), topics.domain());
        String last = "";
        boolean hinted = false;
        boolean cleanupSent = false;
        while (true) {
            Optional<UpdateChannel.Message> next = channel.next(topics.feedback(), activityId, deadline);
            if (next.isEmpty()) {
                String why = last.isEmpty() ? "no feedback at all: is an update agent of domain " + topics.domain()
                        + " connected to the broker?" : "last status: " + last;
                gantry.err().println("gantry: activity " + activityId + " did not end within "
                        + Durations.format(wait) + " (" + why + ")");
                gantry.err().flush();
                return ExitCodes.TIMEOUT;
            }
            JsonNode payload = next.get().payload();
            if (gantry.output() == OutputFormat.JSON) {
                gantry.out().println(next.get().envelope().toString());
                gantry.out().flush();
            } else {
                printer.print(next.get().envelope());
            }
            last = payload.path("status").asText("");
            Optional<FeedbackStatus> status = FeedbackStatus.forName(last);
            if (status.isPresent() && status.get().isFinal()) {
                return ended(activityId, status.get(), payload.path("message").asText(""));
            }
            boolean hasActions = !payload.path("actions").isEmpty();
            Optional<Command> command = drive ? status.flatMap(s -> nextCommand(s, hasActions)) : Optional.empty();
            if (command.isPresent() && !(command.get() == Command.CLEANUP && cleanupSent)) {
                cleanupSent |= command.get() == Command.CLEANUP;
                channel.publish(topics.command(), activityId, new WireCommand(command.get().name(), ""));
                if (gantry.output() != OutputFormat.JSON) {
                    printer.note(gantry.clock().instant(), "sent " + command.get());
                }
            }
            if (!drive && orchestrated && !hinted && status.orElse(null) == FeedbackStatus.IDENTIFIED && hasActions) {
                hinted = true;
                gantry.err().println("The update agent waits for an update manager's commands (update_agent.mode is "
                        + "orchestrated); gantry apply --drive sends them.");
                gantry.err().flush();
            }
        }
    }

    /**
     * What an update manager sends after each phase status of the whole operation (§3.4): the next phase after a
     * success, CLEANUP after a failure (the agent has rolled the phase back already) and after activation.
     */
    static Optional<Command> nextCommand(FeedbackStatus status, boolean hasActions) {
        return Optional.ofNullable(switch (status) {
            case IDENTIFIED -> hasActions ? Command.DOWNLOAD : null;
            case DOWNLOAD_SUCCESS -> Command.UPDATE;
            case UPDATE_SUCCESS -> Command.ACTIVATE;
            case ACTIVATION_SUCCESS, DOWNLOAD_FAILURE, UPDATE_FAILURE, ACTIVATION_FAILURE -> Command.CLEANUP;
            default -> null;
        });
    }

    private int ended(String activityId, FeedbackStatus status, String message) {
        if (status == FeedbackStatus.COMPLETED) {
            return ExitCodes.OK;
        }
        gantry.err().println("gantry: activity " + activityId + " ended " + status
                + (message.isEmpty() ? "" : ": " + message));
        gantry.err().flush();
        return status == FeedbackStatus.IDENTIFICATION_FAILED ? ExitCodes.DATA : ExitCodes.FAILED;
    }

    private byte[] read(String source) {
        try {
            if (file.equals("-")) {
                InputStream in = System.in;
                return in.readAllBytes();
            }
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new DesiredStateException(source, "", e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : "cannot read it: " + e.getMessage(), e);
        }
    }

    static Duration positive(Duration d) {
        if (d.isZero()) {
            throw new IllegalArgumentException("the timeout must be longer than 0s");
        }
        return d;
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

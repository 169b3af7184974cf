package io.gantry.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.AgentConfig;
import io.gantry.config.Durations;
import io.gantry.update.protocol.UpdateTopics;
import io.gantry.update.protocol.WindowParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gantry state}: asks the update agent for the current state ({@code currentstate/get}, reference/kanto-cua.md
 * §4) and prints it: a table of the containers, or with {@code --output json} the inventory as the agent sent it.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Prints the current state that the update agent reports: every container, managed or not.")
final class StateCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Spec
    CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for the agent's answer (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--broker", paramLabel = "URL",
            description = "The MQTT broker (default: connection.broker_url of the configuration).")
    String broker;

    @Override
    public Integer call() {
        Duration wait = GantryCommand.option(spec, "--timeout", () -> ApplyCommand.positive(Durations.parse(timeout)));
        AgentConfig config = CliConfig.load(Optional.ofNullable(gantry.config), Optional.empty());
        UpdateTopics topics = UpdateTopics.of(config.updateAgent().domain());
        String activityId = "gantry-state-" + UUID.randomUUID();
        Optional<UpdateChannel.Message> answer;
        try (UpdateChannel channel = UpdateChannel.open(gantry.transports(), UpdateChannel.connection(config, broker),
                topics, ApplyCommand.min(config.connection().connectTimeout(), wait), gantry.clock())) {
            channel.publish(topics.currentStateGet(), activityId, Map.of());
            answer = channel.next(topics.currentState(), activityId, gantry.clock().instant().plus(wait));
        }
        if (answer.isEmpty()) {
            gantry.err().println("gantry: the update agent did not answer on " + topics.currentState() + " within "
                    + Durations.format(wait) + " (is it running, with update_agent.enable and domain "
                    + topics.domain() + "?)");
            gantry.err().flush();
            return ExitCodes.TIMEOUT;
        }
        JsonNode inventory = answer.get().payload();
        if (gantry.output() == OutputFormat.JSON) {
            gantry.out().println(ContainerJson.print(inventory));
            gantry.out().flush();
            return ExitCodes.OK;
        }
        table(inventory, topics).print(gantry.out());
        waiting(inventory, topics).ifPresent(line -> {
            gantry.out().println(line);
            gantry.out().flush();
        });
        return ExitCodes.OK;
    }

    /** The line for a desired state that waits for the update window, from the agent node's parameters. */
    static Optional<String> waiting(JsonNode inventory, UpdateTopics topics) {
        for (JsonNode node : inventory.path("softwareNodes")) {
            if (!topics.agentNodeId().equals(node.path("id").asText())) {
                continue;
            }
            String activity = "";
            String until = "";
            for (JsonNode p : node.path("parameters")) {
                if (WindowParameters.WAITING_ACTIVITY.equals(p.path("key").asText())) {
                    activity = p.path("value").asText();
                } else if (WindowParameters.WAITING_UNTIL.equals(p.path("key").asText())) {
                    until = p.path("value").asText();
                }
            }
            if (!activity.isEmpty()) {
                return Optional.of("Waiting for the update window: desired state " + activity + ", carried out at "
                        + until);
            }
        }
        return Optional.empty();
    }

    /** One row per container node: its name, version, image, status, whether Gantry manages it, and its ports. */
    static Table table(JsonNode inventory, UpdateTopics topics) {
        Table table = new Table("NAME", "VERSION", "IMAGE", "STATUS", "MANAGED", "PORTS");
        String prefix = topics.domain() + ":";
        for (JsonNode node : inventory.path("softwareNodes")) {
            if (!"CONTAINER".equals(node.path("type").asText())) {
                continue;
            }
            String id = node.path("id").asText("");
            List<String> ports = new ArrayList<>();
            String image = "";
            String status = "";
            String managed = "";
            for (JsonNode p : node.path("parameters")) {
                String value = p.path("value").asText("");
                switch (p.path("key").asText("")) {
                    case "image" -> image = value;
                    case "status" -> status = value;
                    case "managed" -> managed = "true".equals(value) ? "yes" : "-";
                    case "port" -> ports.add(value);
                    default -> {
                        // the other parameters are in --output json
                    }
                }
            }
            table.add(id.startsWith(prefix) ? id.substring(prefix.length()) : id, node.path("version").asText(""),
                    image, status, managed, String.join(", ", ports));
        }
        return table;
    }
}

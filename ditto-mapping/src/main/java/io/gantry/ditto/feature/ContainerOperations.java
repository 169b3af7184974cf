package io.gantry.ditto.feature;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.command.ContainerCommands;
import io.gantry.core.container.ContainerId;
import io.gantry.kanto.json.ContainerConfigMapper;
import io.gantry.kanto.json.JsonInput;
import io.gantry.ditto.inbound.FeatureOperations;
import io.gantry.ditto.inbound.Operation;
import java.util.Objects;
import java.util.Optional;

/**
 * The operations of every {@code Container:<id>} feature (reference/kanto-things.md §3.2), all answered 204:
 * {@code start}, {@code stop}, {@code stopWithOptions}, {@code pause}, {@code resume}, {@code rename},
 * {@code update} and {@code remove}. Values of the wrong JSON type are refused with 400 before anything happens.
 */
public final class ContainerOperations implements FeatureOperations {

    private final ContainerCommands commands;

    public ContainerOperations(ContainerCommands commands) {
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public Optional<JsonNode> invoke(Operation operation) {
        ContainerId id = FeatureIds.containerId(operation.featureId())
                .orElseThrow(() -> new IllegalArgumentException("not a container feature: " + operation.featureId()));
        JsonInput value = JsonInput.of(operation.value().orElse(null), "");
        switch (operation.name()) {
            case "start" -> commands.start(id);
            case "stop" -> commands.stop(id);
            case "stopWithOptions" -> {
                value.requireObject();
                boolean force = value.field("force").bool(false);
                long timeout = value.field("timeout").integer().orElse(0);
                String signal = value.field("signal").string("");
                commands.stop(id, timeout, signal, force);
            }
            case "pause" -> commands.pause(id);
            case "resume" -> commands.resume(id);
            case "rename" -> commands.rename(id, value.string(""));
            case "update" -> {
                value.requireObject();
                commands.update(id, ContainerConfigMapper.restartPolicy(value.field("restartPolicy")),
                        ContainerConfigMapper.memoryLimits(value.field("resources")));
            }
            case "remove" -> commands.remove(id, value.bool(false));
            default -> throw FeatureOperations.unsupported(operation);
        }
        return Optional.empty();
    }
}

package io.gantry.ditto.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.core.command.ContainerCommands;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.kanto.json.ContainerConfigMapper;
import io.gantry.kanto.json.JsonInput;
import io.gantry.ditto.inbound.FeatureOperations;
import io.gantry.ditto.inbound.Operation;
import java.util.Objects;
import java.util.Optional;

/**
 * The ContainerFactory feature's operations (reference/kanto-things.md §3.1): {@code create} and
 * {@code createWithConfig}, answered 200 with the new container's id. The image is pulled when missing; with
 * {@code start} a failure to start is only logged.
 */
public final class ContainerFactoryOperations implements FeatureOperations {

    private final ContainerCommands commands;

    public ContainerFactoryOperations(ContainerCommands commands) {
        this.commands = Objects.requireNonNull(commands, "commands");
    }

    @Override
    public Optional<JsonNode> invoke(Operation operation) {
        boolean withConfig = switch (operation.name()) {
            case "create" -> false;
            case "createWithConfig" -> true;
            default -> throw FeatureOperations.unsupported(operation);
        };
        JsonInput args = JsonInput.of(operation.value().orElse(null), "").requireObject();
        String imageRef = args.field("imageRef").string("");
        boolean start = args.field("start").bool(false);
        ContainerSpec.Builder spec = ContainerSpec.builder(ContainerCommands.imageRef(imageRef));
        if (withConfig) {
            String name = args.field("name").string("");
            if (!name.isEmpty()) {
                spec.name(ContainerCommands.containerName(name));
            }
            ContainerConfigMapper.fromJson(args.field("config"), spec);
        }
        ContainerId id = commands.create(spec.buildAsReported(), start);
        return Optional.of(JsonNodeFactory.instance.textNode(id.value()));
    }

    /** Creates of the same image wait for each other (and its pull); creates of other images run in parallel. */
    @Override
    public Object key(Operation operation) {
        return operation.value().map(v -> v.path("imageRef")).filter(JsonNode::isTextual)
                .map(ref -> "create " + ref.textValue()).orElse(operation.featureId());
    }
}

package io.gantry.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.PortMapping;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gantry ps}: the engine's containers, running ones unless {@code -a}, newest first. */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "Lists containers (running ones; -a for all), marking those Gantry manages.")
final class PsCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Option(names = {"-a", "--all"}, description = "Show all containers, not only running ones.")
    boolean all;

    @Override
    public Integer call() {
        List<Container> containers = gantry.withEngine(engine -> engine.list()).stream()
                .filter(c -> all || c.status().isAlive())
                .sorted(Comparator.comparing(Container::createdAt).reversed().thenComparing(Container::name))
                .toList();
        if (gantry.output() == OutputFormat.JSON) {
            ArrayNode array = ContainerJson.JSON.createArrayNode();
            containers.forEach(c -> array.add(ContainerJson.of(c)));
            gantry.out().println(ContainerJson.print(array));
            gantry.out().flush();
            return ExitCodes.OK;
        }
        Instant now = gantry.clock().instant();
        Table table = new Table("CONTAINER ID", "NAME", "IMAGE", "STATUS", "PORTS", "MANAGED");
        for (Container c : containers) {
            table.add(c.id().shortForm(), c.name().value(), c.image().text(), Describe.status(c.state(), now),
                    c.spec().ports().stream().map(PortMapping::toString).collect(Collectors.joining(", ")),
                    c.managed() ? "yes" : "-");
        }
        table.print(gantry.out());
        return ExitCodes.OK;
    }
}

package io.gantry.app.cli;

import io.gantry.core.container.Container;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry inspect}: everything about one container, its spec included. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Shows a container's state and spec.")
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Parameters(paramLabel = "CONTAINER", description = "Name, id or unique id prefix.")
    String container;

    @Override
    public Integer call() {
        Container c = gantry.withEngine(engine -> GantryCommand.resolve(engine, container));
        if (gantry.output() == OutputFormat.JSON) {
            gantry.out().println(ContainerJson.print(ContainerJson.of(c)));
            gantry.out().flush();
        } else {
            Describe.inspect(c, gantry.clock().instant(), gantry.out());
        }
        return ExitCodes.OK;
    }
}

package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerName;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry rename}. */
@Command(name = "rename", mixinStandardHelpOptions = true, description = "Renames a container.")
final class RenameCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Name, id or unique id prefix.")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME", description = "Letters, digits, _ . - (not first).")
    ContainerName newName;

    @Override
    public Integer call() {
        Container renamed = gantry.withEngine(engine -> {
            Container c = GantryCommand.resolve(engine, container);
            engine.rename(c.id(), newName);
            return c;
        });
        if (gantry.output() == OutputFormat.JSON) {
            gantry.out().println(ContainerJson.print(ContainerJson.JSON.createObjectNode()
                    .put("id", renamed.id().value()).put("name", newName.value())));
        } else {
            gantry.out().println(newName.value());
        }
        gantry.out().flush();
        return ExitCodes.OK;
    }
}

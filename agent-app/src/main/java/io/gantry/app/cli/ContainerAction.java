package io.gantry.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineUnavailableException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * An operation applied to one or more containers in turn ({@code start}, {@code stop}, {@code rm} …). As with
 * docker, a container that fails is reported on standard error and the others are still done; each one done is
 * printed as it was named.
 */
abstract class ContainerAction implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER", description = "Names, ids or unique id prefixes.")
    List<String> containers;

    /** Checks option values before the engine is asked anything. */
    void checkOptions() {
    }

    abstract void apply(ContainerEngine engine, Container container);

    @Override
    public Integer call() {
        checkOptions();
        return gantry.withEngine(engine -> {
            int exit = ExitCodes.OK;
            ArrayNode done = ContainerJson.JSON.createArrayNode();
            for (String reference : containers) {
                try {
                    Container c = GantryCommand.resolve(engine, reference);
                    apply(engine, c);
                    if (gantry.output() == OutputFormat.JSON) {
                        done.addObject().put("id", c.id().value()).put("name", c.name().value());
                    } else {
                        gantry.out().println(reference);
                        gantry.out().flush();
                    }
                } catch (EngineUnavailableException e) {
                    throw e;
                } catch (EngineException e) {
                    gantry.err().println("gantry: " + GantryCommand.oneLine(e.getMessage()));
                    gantry.err().flush();
                    exit = ExitCodes.FAILED;
                }
            }
            if (gantry.output() == OutputFormat.JSON) {
                gantry.out().println(ContainerJson.print(done));
                gantry.out().flush();
            }
            return exit;
        });
    }
}

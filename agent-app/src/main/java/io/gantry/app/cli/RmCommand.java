package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry rm}. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes containers, with their anonymous volumes (named volumes stay).")
final class RmCommand extends ContainerAction {

    @Option(names = {"-f", "--force"}, description = "Kill and remove a running container.")
    boolean force;

    @Override
    void apply(ContainerEngine engine, Container container) {
        engine.remove(container.id(), force);
    }
}

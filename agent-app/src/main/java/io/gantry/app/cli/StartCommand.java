package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import picocli.CommandLine.Command;

/** {@code gantry start}. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Starts containers (a running one is left as it is).")
final class StartCommand extends ContainerAction {

    @Override
    void apply(ContainerEngine engine, Container container) {
        engine.start(container.id());
    }
}

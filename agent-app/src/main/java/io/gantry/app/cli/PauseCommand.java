package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import picocli.CommandLine.Command;

/** {@code gantry pause}. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses (freezes) running containers.")
final class PauseCommand extends ContainerAction {

    @Override
    void apply(ContainerEngine engine, Container container) {
        engine.pause(container.id());
    }
}

package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import picocli.CommandLine.Command;

/** {@code gantry resume}. */
@Command(name = "resume", mixinStandardHelpOptions = true, aliases = "unpause", description = "Resumes paused containers.")
final class ResumeCommand extends ContainerAction {

    @Override
    void apply(ContainerEngine engine, Container container) {
        engine.resume(container.id());
    }
}

package io.gantry.app.cli;

import io.gantry.config.AgentConfig;
import io.gantry.core.container.ContainerEngine;

/**
 * Opens the container engine a command talks to. The CLI closes the engine after the command when it is
 * {@link AutoCloseable}; tests hand in a fake engine.
 */
@FunctionalInterface
public interface EngineFactory {

    ContainerEngine open(AgentConfig config);
}

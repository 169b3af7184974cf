package io.gantry.app.cli;

import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the configuration enters the CLI: the one place that turns {@code --config FILE} and {@code --host} into the
 * {@link AgentConfig} every command uses.
 */
public final class CliConfig {

    private CliConfig() {
    }

    /**
     * The configuration for a command. Without {@code --config}, {@code /etc/gantry/config.json} is read when it
     * exists (otherwise the defaults apply), so that the CLI talks to the agent's engine with the agent's registry
     * credentials. {@code host} (from {@code --host} or {@code DOCKER_HOST}) overrides {@code engine.host}.
     *
     * @throws ConfigFileException listing every problem of the file, each with its JSON path
     */
    public static AgentConfig load(Optional<Path> file, Optional<String> host) {
        AgentConfig config;
        try {
            config = file.isPresent() ? ConfigLoader.load(file.get())
                    : ConfigLoader.loadOrDefaults(AgentConfig.DEFAULT_PATH);
        } catch (ConfigException e) {
            throw new ConfigFileException(e.getMessage(), e);
        }
        return host.filter(h -> !h.isBlank()).map(h -> withEngineHost(config, h)).orElse(config);
    }

    static AgentConfig withEngineHost(AgentConfig c, String host) {
        return c.withEngine(c.engine().withHost(host));
    }
}

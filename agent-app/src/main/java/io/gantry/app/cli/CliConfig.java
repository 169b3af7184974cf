package io.gantry.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.config.AgentConfig;
import io.gantry.config.Durations;
import io.gantry.config.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the configuration enters the CLI: the one place that turns {@code --config FILE} and {@code --host} into the
 * {@link AgentConfig} every command uses.
 *
 * <p>LEAD: until {@code ConfigLoader} (config module) lands, this reads only the {@code engine} section of the file
 * and takes every other setting from {@link AgentConfig#DEFAULTS}; replace {@link #readFile} with the loader (which
 * reports every problem with its JSON path) and keep the rest.
 */
public final class CliConfig {

    private CliConfig() {
    }

    /**
     * The configuration for a command. Without {@code --config}, {@code /etc/gantry/config.json} is read when it
     * exists, so that the CLI talks to the agent's engine. {@code host} (from {@code --host} or {@code DOCKER_HOST})
     * overrides {@code engine.host}.
     *
     * @throws ConfigFileException when a given file is missing or a value in it is bad
     */
    public static AgentConfig load(Optional<Path> file, Optional<String> host) {
        AgentConfig config;
        if (file.isPresent()) {
            if (!Files.isRegularFile(file.get())) {
                throw new ConfigFileException(file.get() + ": no such configuration file", null);
            }
            config = readFile(file.get());
        } else if (Files.isRegularFile(AgentConfig.DEFAULT_PATH) && Files.isReadable(AgentConfig.DEFAULT_PATH)) {
            config = readFile(AgentConfig.DEFAULT_PATH);
        } else {
            config = AgentConfig.DEFAULTS;
        }
        return host.filter(h -> !h.isBlank()).map(h -> withEngine(config, withHost(config.engine(), h)))
                .orElse(config);
    }

    private static AgentConfig readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot be read: " + e.getMessage(), e);
        }
        JsonNode engine = root == null ? null : root.get("engine");
        if (engine == null || engine.isNull()) {
            return AgentConfig.DEFAULTS;
        }
        EngineConfig d = EngineConfig.DEFAULTS;
        try {
            return withEngine(AgentConfig.DEFAULTS, new EngineConfig(
                    text(engine, "host").orElse(d.host()),
                    duration(engine, "default_stop_timeout").orElse(d.defaultStopTimeout()),
                    duration(engine, "connect_timeout").orElse(d.connectTimeout()),
                    duration(engine, "api_timeout").orElse(d.apiTimeout()),
                    number(engine, "pull_retries").orElse(d.pullRetries()),
                    duration(engine, "pull_stall_timeout").orElse(d.pullStallTimeout())));
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode engine, String key) {
        JsonNode value = engine.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("engine." + key + ": " + value + " is not a string");
        }
        return Optional.of(value.asText());
    }

    private static Optional<Duration> duration(JsonNode engine, String key) {
        JsonNode value = engine.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(value.isNumber() ? value.asText() : value.textValue()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("engine." + key + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> number(JsonNode engine, String key) {
        JsonNode value = engine.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw new IllegalArgumentException("engine." + key + ": " + value + " is not a whole number >= 0");
        }
        return Optional.of(value.asInt());
    }

    private static EngineConfig withHost(EngineConfig e, String host) {
        return new EngineConfig(host, e.defaultStopTimeout(), e.connectTimeout(), e.apiTimeout(), e.pullRetries(),
                e.pullStallTimeout());
    }

    private static AgentConfig withEngine(AgentConfig c, EngineConfig engine) {
        return new AgentConfig(c.log(), c.connection(), c.things(), c.updateAgent(), c.metrics(), engine,
                c.registries(), c.deployment(), c.stateDir());
    }
}

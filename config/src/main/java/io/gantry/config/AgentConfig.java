package io.gantry.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The whole agent configuration, as read from {@code /etc/gantry/config.json}. JSON keys are the snake_case forms of
 * the component names (Kanto's names where the concept is the same); every key has a default ({@link #DEFAULTS}).
 */
public record AgentConfig(
        LoggingConfig log,
        ConnectionConfig connection,
        ThingsConfig things,
        UpdateAgentConfig updateAgent,
        MetricsConfig metrics,
        EngineConfig engine,
        Map<String, RegistryConfig> registries,
        DeploymentConfig deployment,
        PolicyConfig policy,
        TrustConfig trust,
        DashboardConfig dashboard,
        Path stateDir,
        TimeSyncConfig timeSync) {

    public static final Path DEFAULT_PATH = Path.of("/etc/gantry/config.json");
    public static final AgentConfig DEFAULTS = new AgentConfig(LoggingConfig.DEFAULTS, ConnectionConfig.DEFAULTS,
            ThingsConfig.DEFAULTS, UpdateAgentConfig.DEFAULTS, MetricsConfig.DEFAULTS, EngineConfig.DEFAULTS,
            Map.of(), DeploymentConfig.DEFAULTS, PolicyConfig.DEFAULTS, TrustConfig.DEFAULTS, DashboardConfig.DEFAULTS,
            Path.of("/var/lib/gantry"), TimeSyncConfig.DEFAULTS);

    public AgentConfig {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(things, "things");
        Objects.requireNonNull(updateAgent, "updateAgent");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(timeSync, "timeSync");
        // Host names are case-insensitive; ImageRef reports registries in lower case.
        Map<String, RegistryConfig> byHost = new TreeMap<>();
        registries.forEach((host, registry) -> byHost.put(host.toLowerCase(java.util.Locale.ROOT),
                Objects.requireNonNull(registry, "registry")));
        registries = java.util.Collections.unmodifiableMap(byHost);
    }

    /** A configuration with the dashboard's (off) and {@code time_sync}'s defaults, for callers that do not care. */
    public AgentConfig(LoggingConfig log, ConnectionConfig connection, ThingsConfig things,
                       UpdateAgentConfig updateAgent, MetricsConfig metrics, EngineConfig engine,
                       Map<String, RegistryConfig> registries, DeploymentConfig deployment, PolicyConfig policy,
                       TrustConfig trust, Path stateDir) {
        this(log, connection, things, updateAgent, metrics, engine, registries, deployment, policy, trust,
                DashboardConfig.DEFAULTS, stateDir, TimeSyncConfig.DEFAULTS);
    }

    /** The registry settings for an image's registry host ({@code host[:port]}), if any are configured. */
    public java.util.Optional<RegistryConfig> registry(String host) {
        return java.util.Optional.ofNullable(registries.get(host.toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * The settings of an image's registry. Docker Hub's other names need no lookup: image references turn
     * index.docker.io into docker.io, and the configuration refuses them as registry keys; only the API host
     * registry-1.docker.io is read as docker.io.
     */
    public java.util.Optional<RegistryConfig> registryOfImage(String imageRegistry) {
        return registry("registry-1.docker.io".equals(imageRegistry) ? "docker.io" : imageRegistry);
    }

    public AgentConfig withConnection(ConnectionConfig newConnection) {
        return new AgentConfig(log, newConnection, things, updateAgent, metrics, engine, registries, deployment,
                policy, trust, dashboard, stateDir, timeSync);
    }

    public AgentConfig withEngine(EngineConfig newEngine) {
        return new AgentConfig(log, connection, things, updateAgent, metrics, newEngine, registries, deployment,
                policy, trust, dashboard, stateDir, timeSync);
    }

    public AgentConfig withRegistries(Map<String, RegistryConfig> newRegistries) {
        return new AgentConfig(log, connection, things, updateAgent, metrics, engine, newRegistries, deployment,
                policy, trust, dashboard, stateDir, timeSync);
    }
}

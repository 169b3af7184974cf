package io.gantry.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Container descriptor files. {@code mode} {@code update} keeps containers in line with the files at start and on
 * every change; {@code init} deploys them only on the very first start.
 */
public record DeploymentConfig(boolean enable, String mode, Path directory) {

    public static final String UPDATE = "update";
    public static final String INIT = "init";
    public static final DeploymentConfig DEFAULTS = new DeploymentConfig(true, UPDATE, Path.of("/etc/gantry/containers"));

    public DeploymentConfig {
        mode = Objects.requireNonNull(mode, "mode").trim().toLowerCase(java.util.Locale.ROOT);
        Objects.requireNonNull(directory, "directory");
    }
}

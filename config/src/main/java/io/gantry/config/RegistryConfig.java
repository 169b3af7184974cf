package io.gantry.config;

import java.util.Objects;

/**
 * Settings for one image registry, keyed by its host[:port] in {@code registries} (the shape of Kanto's
 * {@code containers.registry_configurations}). {@code insecure} says the registry is reached over plain HTTP or
 * unverified TLS; Docker only allows that when its daemon lists the registry, which Gantry checks and reports.
 */
public record RegistryConfig(Credentials credentials, TlsConfig transport, boolean insecure) {

    /** What a registry entry holds for every key it leaves out. */
    public static final RegistryConfig DEFAULTS = new RegistryConfig(Credentials.NONE, TlsConfig.NONE, false);

    public RegistryConfig {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(transport, "transport");
    }

    /** Basic-auth credentials: Kanto's {@code user_id} and {@code password}. */
    public record Credentials(String userId, Secret password) {
        public static final Credentials NONE = new Credentials("", Secret.NONE);

        public Credentials {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(password, "password");
        }

        public boolean isEmpty() {
            return userId.isEmpty();
        }
    }
}

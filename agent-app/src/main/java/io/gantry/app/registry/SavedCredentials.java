package io.gantry.app.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.config.AgentConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.config.Secret;
import io.gantry.core.file.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry credentials entered in the dashboard's container form (Kura's per-container {@code registry.username} and
 * {@code registry.password}), kept per registry host in {@code <state_dir>/registry-credentials.json} (mode 0600)
 * because a descriptor file is no place for a secret. Pulls use them for a registry whose {@code registries.<host>}
 * in the configuration has no credentials: the configuration wins.
 *
 * <p>Contract: the one owner of that file; {@link #over} may be called from any thread and never reads the disk,
 * {@link #save} writes the file atomically and then the memory. A file that cannot be read is logged once at start and
 * treated as empty. The password never leaves this class except toward the engine's pull.
 */
public final class SavedCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(SavedCredentials.class);
    static final String FILE = "registry-credentials.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 256 * 1024;

    private final Path file;
    private volatile Map<String, RegistryConfig.Credentials> byHost;

    private SavedCredentials(Path file, Map<String, RegistryConfig.Credentials> byHost) {
        this.file = file;
        this.byHost = byHost;
    }

    /** The credentials saved under {@code stateDir}; none when there is no file or it cannot be used. */
    public static SavedCredentials load(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        Map<String, RegistryConfig.Credentials> read = new TreeMap<>();
        try {
            JsonNode root = JSON.readTree(BoundedFiles.read(file, MAX_BYTES));
            root.fields().forEachRemaining(e -> read.put(e.getKey().toLowerCase(Locale.ROOT),
                    new RegistryConfig.Credentials(e.getValue().path("user_id").asText(""),
                            Secret.of(e.getValue().path("password").asText("")))));
        } catch (NoSuchFileException e) {
            // none saved yet
        } catch (IOException | RuntimeException e) {
            LOG.warn("The registry credentials saved by the dashboard in {} cannot be read, so none are used: {}",
                    file, e.getClass().getSimpleName());
            read.clear();
        }
        return new SavedCredentials(file, Collections.unmodifiableMap(read));
    }

    /** {@code config} with the saved credentials added for every registry it gives none. */
    public AgentConfig over(AgentConfig config) {
        Map<String, RegistryConfig.Credentials> saved = byHost;
        if (saved.isEmpty()) {
            return config;
        }
        Map<String, RegistryConfig> registries = new TreeMap<>(config.registries());
        saved.forEach((host, credentials) -> {
            RegistryConfig configured = registries.getOrDefault(host, RegistryConfig.DEFAULTS);
            if (configured.credentials().isEmpty()) {
                registries.put(host, new RegistryConfig(credentials, configured.transport(), configured.insecure()));
            }
        });
        return config.withRegistries(registries);
    }

    /** The user name saved for {@code host}, if any: what the form shows (the password, never). */
    public Optional<String> user(String host) {
        return Optional.ofNullable(byHost.get(host.toLowerCase(Locale.ROOT))).map(RegistryConfig.Credentials::userId);
    }

    /**
     * Saves {@code user} and {@code password} for {@code host}; an empty password keeps the one saved for the same
     * user.
     *
     * @throws IllegalArgumentException when there is no password to keep
     * @throws IOException when the file cannot be written (nothing is changed then)
     */
    public synchronized void save(String host, String user, String password) throws IOException {
        String key = host.toLowerCase(Locale.ROOT);
        RegistryConfig.Credentials old = byHost.get(key);
        Secret secret;
        if (!password.isEmpty()) {
            secret = Secret.of(password);
        } else if (old != null && old.userId().equals(user)) {
            secret = old.password();
        } else {
            throw new IllegalArgumentException("enter the password for " + user + " at " + host);
        }
        Map<String, RegistryConfig.Credentials> next = new TreeMap<>(byHost);
        next.put(key, new RegistryConfig.Credentials(user, secret));
        ObjectNode root = JSON.createObjectNode();
        next.forEach((h, c) -> root.putObject(h).put("user_id", c.userId()).put("password", c.password().value()));
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(FILE + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root),
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        byHost = Collections.unmodifiableMap(next);
    }
}

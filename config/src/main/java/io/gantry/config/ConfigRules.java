package io.gantry.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the values of a configuration must mean: enums, addresses, ranges, files that must exist, and the rules
 * between keys. It reads a bound configuration and skips any key whose value already failed to read, so that a
 * stand-in default never produces a second, misleading problem.
 */
final class ConfigRules {

    static final Set<String> LOG_LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
    static final Set<String> PROTOCOL_VERSIONS = Set.of("3.1.1", "5");
    /** MQTT's largest packet, 256 MiB less one byte (MQTT 3.1.1 §2.2.3, MQTT 5 §1.5.5). */
    static final long MQTT_MAX_PACKET = 268_435_455L;
    /** MQTT's keep-alive is a 16-bit number of seconds. */
    static final Duration MQTT_MAX_KEEP_ALIVE = Duration.ofSeconds(65_535);

    // Kanto's container-name rule (reference/kanto-cua.md §2.1); agent-core's ContainerName holds the same one.
    private static final Pattern CONTAINER_NAME = Pattern.compile("^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$");
    // Kanto uses the domain verbatim as the desired state's domain id and the component-id prefix <domain>:<name>,
    // and as the topic prefix with '-' removed (reference/kanto-cua.md §1.1); so no topic or id separators in it.
    private static final Pattern DOMAIN = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]*$");
    // Docker's runtime names are those of the daemon's "runtimes" map: no spaces or path separators.
    private static final Pattern RUNTIME = Pattern.compile("^(\\*|[a-zA-Z0-9][a-zA-Z0-9_.-]*)$");
    /** The form {@code gantry dashboard-password} writes: PBKDF2-HMAC-SHA256, iterations, base64 salt and hash. */
    private static final Pattern PASSWORD_HASH = Pattern.compile(
            "^pbkdf2-sha256\\$[1-9][0-9]{3,8}\\$[A-Za-z0-9+/]{16,}={0,2}\\$[A-Za-z0-9+/]{43}=$");
    private static final Pattern TOPIC_SAFE = Pattern.compile("^[^\\s/+#]+$");

    private final Problems problems;

    ConfigRules(Problems problems) {
        this.problems = problems;
    }

    void check(AgentConfig c) {
        log(c.log());
        connection(c.connection());
        things(c.things());
        updateAgent(c.updateAgent());
        metrics(c.metrics());
        engine(c.engine());
        c.registries().forEach((host, registry) -> registry(ConfigTree.entry("registries", host), host, registry));
        deployment(c.deployment());
        policy(c.policy());
        trust(c.trust());
        dashboard(c.dashboard());
        directory("state_dir", c.stateDir());
        timeSync(c.timeSync());
    }

    private void timeSync(TimeSyncConfig t) {
        if (!t.statusFile().isEmpty()) {
            rule("time_sync.status_file", () -> {
                Path file = Path.of(t.statusFile());
                if (!file.isAbsolute()) {
                    return notAbsolute(t.statusFile()) + " (or \"\" for the system's own sources)";
                }
                return Files.isDirectory(file) ? quoted(t.statusFile()) + " is a directory, not a file" : null;
            });
        }
        positive("time_sync.check_interval", t.checkInterval());
    }

    private void log(LoggingConfig log) {
        rule("log.log_level", () -> LOG_LEVELS.contains(log.logLevel()) ? null
                : quoted(log.logLevel()) + " is not a log level (expected ERROR, WARN, INFO, DEBUG or TRACE)");
        if (!log.logFile().isEmpty()) {
            rule("log.log_file", () -> {
                Path file = Path.of(log.logFile());
                if (!file.isAbsolute()) {
                    return notAbsolute(log.logFile()) + " (or \"\" for stdout)";
                }
                return Files.isDirectory(file) ? quoted(log.logFile()) + " is a directory, not a file" : null;
            });
        }
        rule("log.log_file_size", () -> log.logFileSize().bytes() > 0 ? null : "must be more than 0 bytes");
        rule("log.log_file_count", () -> log.logFileCount() >= 1 ? null : "must be at least 1");
    }

    private void connection(ConnectionConfig c) {
        rule("connection.broker_url", () -> Addresses.brokerUrl(c.brokerUrl()).orElse(null));
        rule(List.of("connection.client_password", "connection.client_username"),
                () -> !c.clientPassword().isEmpty() && c.clientUsername().isEmpty()
                        ? "is set but client_username is empty (the password is only sent with a user name)" : null);
        rule("connection.protocol_version", () -> PROTOCOL_VERSIONS.contains(c.protocolVersion()) ? null
                : quoted(c.protocolVersion()) + " is not an MQTT version (expected \"3.1.1\" or \"5\")");
        rule("connection.keep_alive", () -> {
            if (c.keepAlive().getNano() != 0) {
                return Durations.format(c.keepAlive()) + " is not a whole number of seconds";
            }
            return c.keepAlive().compareTo(MQTT_MAX_KEEP_ALIVE) > 0 ? Durations.format(c.keepAlive())
                    + " is longer than MQTT allows (" + Durations.format(MQTT_MAX_KEEP_ALIVE) + ")" : null;
        });
        positive("connection.connect_timeout", c.connectTimeout());
        positive("connection.acknowledge_timeout", c.acknowledgeTimeout());
        positive("connection.subscribe_timeout", c.subscribeTimeout());
        positive("connection.unsubscribe_timeout", c.unsubscribeTimeout());
        rule("connection.max_payload_size", () -> {
            long bytes = c.maxPayloadSize().bytes();
            if (bytes == 0) {
                return "must be more than 0 bytes";
            }
            return bytes > MQTT_MAX_PACKET ? c.maxPayloadSize() + " is more than MQTT's limit of "
                    + MQTT_MAX_PACKET + " bytes" : null;
        });
        tls("connection.transport", c.transport());
        if (!c.transport().isEmpty()) {
            rule(List.of("connection.transport", "connection.broker_url"),
                    () -> Addresses.usesTls(c.brokerUrl()) ? null : "TLS files are set but broker_url "
                            + quoted(c.brokerUrl()) + " does not use TLS (use ssl://, mqtts:// or wss://)");
        }
    }

    private void things(ThingsConfig t) {
        for (int i = 0; i < t.features().size(); i++) {
            String feature = t.features().get(i);
            rule(ConfigTree.element("things.features", i), () -> ThingsConfig.KNOWN_FEATURES.contains(feature) ? null
                    : quoted(feature) + " is not a feature" + KeySuggestions.nearest(feature, ThingsConfig.KNOWN_FEATURES)
                            .map(near -> " (did you mean " + near + "?)")
                            .orElse(" (expected " + String.join(", ", ThingsConfig.KNOWN_FEATURES) + ")"));
        }
        if (!t.deviceId().isEmpty()) {
            rule("things.device_id", () -> {
                int colon = t.deviceId().indexOf(':');
                return colon > 0 && colon < t.deviceId().length() - 1 && TOPIC_SAFE.matcher(t.deviceId()).matches()
                        ? null : quoted(t.deviceId())
                        + " is not a device id (expected <namespace>:<name>, e.g. org.example:gateway-1)";
            });
        }
        if (!t.tenantId().isEmpty()) {
            rule("things.tenant_id", () -> TOPIC_SAFE.matcher(t.tenantId()).matches() ? null
                    : quoted(t.tenantId()) + " is not a tenant id (no spaces, '/', '+' or '#': it is part of a topic)");
        }
        rule(List.of("things.tenant_id", "things.device_id"), () -> !t.deviceId().isEmpty() && t.tenantId().isEmpty()
                ? "is needed when device_id is set (twin events go to e/<tenant_id>/<thing id>)" : null);
        rule(List.of("things.device_id", "things.tenant_id"), () -> t.deviceId().isEmpty() && !t.tenantId().isEmpty()
                ? "is needed when tenant_id is set" : null);
        if (!t.bridgeStateTopic().isEmpty()) {
            rule("things.bridge_state_topic", () -> topicFilterProblem(t.bridgeStateTopic())
                    .map(p -> quoted(t.bridgeStateTopic()) + " is not an MQTT topic filter (" + p + ")").orElse(null));
        }
    }

    /** MQTT 3.1.1 §4.7: '+' is a whole level, '#' the whole last level, no NUL, at most 65535 bytes of UTF-8. */
    static Optional<String> topicFilterProblem(String filter) {
        if (filter.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            return Optional.of("longer than 65535 bytes");
        }
        if (filter.indexOf('\0') >= 0) {
            return Optional.of("it contains a NUL character");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return Optional.of("'#' must be the whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                return Optional.of("'+' must be a whole level");
            }
        }
        return Optional.empty();
    }

    private void updateAgent(UpdateAgentConfig u) {
        UpdateAgentConfig.WindowsConfig w = u.windows();
        rule("update_agent.windows.zone", () -> {
            try {
                UpdateWindows.parse(List.of(), w.zone());
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        for (int i = 0; i < w.open().size(); i++) {
            String window = w.open().get(i);
            rule(ConfigTree.element("update_agent.windows.open", i), () -> {
                try {
                    UpdateWindows.parse(List.of(window), "UTC");
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            });
        }
        rule("update_agent.mode", () -> u.mode().equals(UpdateAgentConfig.AUTO)
                || u.mode().equals(UpdateAgentConfig.ORCHESTRATED) ? null
                : quoted(u.mode()) + " is not a mode (expected auto or orchestrated)");
        rule("update_agent.domain", () -> DOMAIN.matcher(u.domain()).matches() ? null
                : quoted(u.domain()) + " is not a domain name (expected letters, digits, '.', '_' and '-', starting"
                        + " with a letter or digit, e.g. containers)");
        for (int i = 0; i < u.systemContainers().size(); i++) {
            String name = u.systemContainers().get(i);
            rule(ConfigTree.element("update_agent.system_containers", i), () -> CONTAINER_NAME.matcher(name).matches()
                    ? null : quoted(name) + " is not a container name (expected letters, digits, '_', '.' and '-')");
        }
        positive("update_agent.health_timeout", u.healthTimeout());
        rule("update_agent.engine_wait", () -> u.engineWait().isNegative() ? "must not be negative" : null);
    }

    private void metrics(MetricsConfig m) {
        positive("metrics.min_frequency", m.minFrequency());
        rule("metrics.prometheus.listen", () -> Addresses.listenAddress(m.prometheus().listen()).orElse(null));
        positive("metrics.own.interval", m.own().interval());
        positive("metrics.own.timeout", m.own().timeout());
        rule("metrics.own.max_size", () -> m.own().maxSize().bytes() < 1 ? "must be more than 0 bytes"
                : m.own().maxSize().bytes() > 64L * 1024 * 1024 ? "must be at most 64M (it is held in memory)" : null);
        rule(List.of("metrics.own.timeout", "metrics.own.interval"), () -> m.own().timeout()
                .compareTo(m.own().interval()) > 0 ? "must not be longer than metrics.own.interval" : null);
    }

    private void engine(EngineConfig e) {
        rule("engine.host", () -> Addresses.engineHost(e.host()).orElse(null));
        rule("engine.default_stop_timeout", () -> e.defaultStopTimeout().getNano() == 0 ? null
                : Durations.format(e.defaultStopTimeout()) + " is not a whole number of seconds (the engine counts"
                        + " stop timeouts in seconds)");
        positive("engine.connect_timeout", e.connectTimeout());
        positive("engine.api_timeout", e.apiTimeout());
        positive("engine.pull_stall_timeout", e.pullStallTimeout());
        rule("engine.image_keep_previous", () -> e.imageKeepPrevious() >= 0 ? null
                : e.imageKeepPrevious() + " is negative (0 keeps no previous image)");
    }

    private void registry(String path, String host, RegistryConfig r) {
        rule(path, () -> Addresses.registryHost(host).orElse(null));
        RegistryConfig.Credentials credentials = r.credentials();
        rule(List.of(path + ".credentials.password", path + ".credentials.user_id"),
                () -> credentials.userId().isEmpty() && !credentials.password().isEmpty()
                        ? "is set but user_id is empty" : null);
        rule(List.of(path + ".credentials.password", path + ".credentials.user_id"),
                () -> !credentials.userId().isEmpty() && credentials.password().isEmpty()
                        ? "is empty but user_id is set" : null);
        tls(path + ".transport", r.transport());
        if (r.insecure() && !r.transport().isEmpty()) {
            rule(List.of(path + ".transport", path + ".insecure"),
                    () -> "is not used: the registry is marked insecure (plain HTTP or unverified TLS)");
        }
    }

    private void deployment(DeploymentConfig d) {
        rule("deployment.mode", () -> d.mode().equals(DeploymentConfig.UPDATE) || d.mode().equals(DeploymentConfig.INIT)
                ? null : quoted(d.mode()) + " is not a mode (expected update or init)");
        directory("deployment.directory", d.directory());
    }

    private void policy(PolicyConfig p) {
        for (int i = 0; i < p.runtimes().size(); i++) {
            String runtime = p.runtimes().get(i);
            rule(ConfigTree.element("policy.runtimes", i), () -> !runtime.isBlank() && RUNTIME.matcher(runtime).matches()
                    ? null : quoted(runtime) + " is not a runtime name (expected a name such as runc or nvidia, or \"*\""
                            + " for any)");
        }
        for (int i = 0; i < p.hostPaths().size(); i++) {
            String entry = p.hostPaths().get(i);
            rule(ConfigTree.element("policy.host_paths", i), () -> PolicyConfig.HostPathRule.parse(entry).isPresent()
                    ? null : quoted(entry) + " is not a host path rule (expected an absolute path without \"..\","
                            + " optionally followed by :ro for read-only mounts only, e.g. /srv/app or /etc/ssl:ro)");
        }
    }

    private void trust(TrustConfig t) {
        rule("trust.unmanaged", () -> t.unmanaged().equals(TrustConfig.STOP) || t.unmanaged().equals(TrustConfig.REPORT)
                ? null : quoted(t.unmanaged()) + " is not a choice (expected stop or report)");
        for (int i = 0; i < t.allowlist().size(); i++) {
            String entry = t.allowlist().get(i);
            rule(ConfigTree.element("trust.allowlist", i), () -> TrustConfig.tokens(entry).stream()
                    .filter(token -> !TrustConfig.DIGEST.matcher(token).matches()).findFirst()
                    .map(bad -> quoted(bad) + " is not a digest (expected sha256: and 64 hex digits; several may be"
                            + " separated by commas or line breaks)").orElse(null));
        }
        t.signatures().forEach((pattern, r) -> {
            String path = ConfigTree.entry("trust.signatures", pattern);
            rule(path, () -> TrustConfig.REPOSITORY_PATTERN.matcher(pattern).matches() ? null : quoted(pattern)
                    + " is not a repository pattern (expected host[:port]/path, where * stands for any characters but /"
                    + " and ** for any, e.g. registry.example:5000/apps/*)");
            pemFile(path + ".key", r.key());
            pemFile(path + ".certificate", r.certificate());
            pemFile(path + ".tlog_key", r.tlogKey());
            rule(List.of(path + ".key", path + ".certificate"), () -> r.key().isEmpty() == r.certificate().isEmpty()
                    ? "exactly one of key and certificate is needed (the public key or the certificate authority"
                            + " that signatures of these images verify against)" : null);
        });
    }

    private void dashboard(DashboardConfig d) {
        rule("dashboard.listen", () -> Addresses.listenAddress(d.listen()).orElse(null));
        rule(List.of("dashboard.password_hash", "dashboard.enable"), () -> d.enable() && d.passwordHash().isEmpty()
                ? "is needed when dashboard.enable is true (make one with: gantry dashboard-password)" : null);
        if (!d.passwordHash().isEmpty()) {
            // The value is a hash, yet it is still not echoed: it is masked wherever the configuration is shown.
            rule("dashboard.password_hash", () -> PASSWORD_HASH.matcher(d.passwordHash().value()).matches() ? null
                    : "is not a hash made by gantry dashboard-password (expected pbkdf2-sha256$<iterations>$<salt>$<hash>)");
        }
        positive("dashboard.session_timeout", d.sessionTimeout());
        pemFile("dashboard.tls_cert", d.tlsCert());
        pemFile("dashboard.tls_key", d.tlsKey());
        rule(List.of("dashboard.tls_key", "dashboard.tls_cert"), () -> !d.tlsCert().isEmpty() && d.tlsKey().isEmpty()
                ? "is needed when tls_cert is set" : null);
        rule(List.of("dashboard.tls_cert", "dashboard.tls_key"), () -> d.tlsCert().isEmpty() && !d.tlsKey().isEmpty()
                ? "is needed when tls_key is set" : null);
    }

    private void tls(String path, TlsConfig tls) {
        pemFile(path + ".root_ca", tls.rootCa());
        pemFile(path + ".client_cert", tls.clientCert());
        pemFile(path + ".client_key", tls.clientKey());
        rule(List.of(path + ".client_key", path + ".client_cert"), () -> !tls.clientCert().isEmpty()
                && tls.clientKey().isEmpty() ? "is needed when client_cert is set" : null);
        rule(List.of(path + ".client_cert", path + ".client_key"), () -> tls.clientCert().isEmpty()
                && !tls.clientKey().isEmpty() ? "is needed when client_key is set" : null);
    }

    /** A PEM file must be there when Gantry starts, and an unreadable one is better found now than at connect. */
    private void pemFile(String path, String file) {
        if (file.isEmpty()) {
            return;
        }
        rule(path, () -> {
            Path p = Path.of(file);
            if (!p.isAbsolute()) {
                return notAbsolute(file);
            }
            if (!Files.exists(p)) {
                return quoted(file) + " does not exist";
            }
            if (!Files.isRegularFile(p)) {
                return quoted(file) + " is not a file";
            }
            try (InputStream in = Files.newInputStream(p)) {
                String head = new String(in.readNBytes(64 * 1024), StandardCharsets.US_ASCII);
                return head.contains("-----BEGIN ") ? null : quoted(file) + " is not a PEM file (no -----BEGIN line)";
            } catch (IOException e) {
                return quoted(file) + " cannot be read: " + e.getMessage();
            }
        });
    }

    private void directory(String path, Path dir) {
        rule(path, () -> {
            if (!dir.isAbsolute()) {
                return notAbsolute(dir.toString());
            }
            return Files.exists(dir) && !Files.isDirectory(dir) ? quoted(dir.toString()) + " is not a directory" : null;
        });
    }

    private void positive(String path, Duration value) {
        rule(path, () -> value.isZero() ? "must be longer than 0s" : null);
    }

    private void rule(String path, Supplier<String> problem) {
        rule(List.of(path), problem);
    }

    /** Runs a rule about {@code paths.get(0)} unless one of the keys it reads could not be read. */
    private void rule(List<String> paths, Supplier<String> problem) {
        for (String p : paths) {
            if (problems.touches(p)) {
                return;
            }
        }
        String message;
        try {
            message = problem.get();
        } catch (RuntimeException e) {
            message = "cannot be checked: " + e.getMessage();
        }
        Optional.ofNullable(message).ifPresent(m -> problems.add(paths.get(0), m));
    }

    private static String notAbsolute(String path) {
        return quoted(path) + " is not an absolute path";
    }

    private static String quoted(String value) {
        return "\"" + value + "\"";
    }
}

package io.gantry.app.mqtt;

import io.gantry.config.ConnectionConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checked form of the {@code connection} settings: the broker's address, the protocol version and the TLS
 * material read from its PEM files, next to the settings themselves (timeouts, credentials, client id).
 */
record BrokerSettings(ConnectionConfig config, BrokerAddress broker, ProtocolVersion version,
                      Optional<TlsMaterial> tls) {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSettings.class);

    BrokerSettings {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tls, "tls");
    }

    /**
     * Parses the URL and the protocol version and reads the TLS files (only for a TLS URL).
     *
     * @throws IllegalArgumentException naming the setting that is wrong, and why
     */
    static BrokerSettings from(ConnectionConfig config) {
        BrokerAddress broker = setting("connection.broker_url", () -> BrokerAddress.parse(config.brokerUrl()));
        ProtocolVersion version = setting("connection.protocol_version",
                () -> ProtocolVersion.forName(config.protocolVersion()));
        if (broker.tls()) {
            return new BrokerSettings(config, broker, version, Optional.of(TlsMaterial.from(config.transport())));
        }
        if (!config.transport().isEmpty()) {
            LOG.warn("connection.transport names TLS files, but {} is not a TLS URL (ssl://, mqtts://, wss:// …):"
                    + " the files are not used", broker);
        }
        return new BrokerSettings(config, broker, version, Optional.empty());
    }

    private static <T> T setting(String key, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}

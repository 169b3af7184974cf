package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The local MQTT broker connection shared by the twin and the update agent (Kanto's top-level {@code connection}).
 * {@code protocol_version} is {@code 3.1.1} or {@code 5}; an empty {@code client_id} means a fresh random id per
 * start, as Kanto does. Inbound payloads larger than {@code max_payload_size} are refused without being parsed.
 */
public record ConnectionConfig(
        String brokerUrl,
        String clientId,
        String clientUsername,
        Secret clientPassword,
        String protocolVersion,
        Duration keepAlive,
        Duration connectTimeout,
        Duration acknowledgeTimeout,
        Duration subscribeTimeout,
        Duration unsubscribeTimeout,
        ByteSize maxPayloadSize,
        TlsConfig transport) {

    public static final ConnectionConfig DEFAULTS = new ConnectionConfig("tcp://localhost:1883", "", "", Secret.NONE,
            "3.1.1", Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(15),
            Duration.ofSeconds(5), ByteSize.ofBytes(256 * 1024), TlsConfig.NONE);

    public ConnectionConfig {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientUsername, "clientUsername");
        Objects.requireNonNull(clientPassword, "clientPassword");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(acknowledgeTimeout, "acknowledgeTimeout");
        Objects.requireNonNull(subscribeTimeout, "subscribeTimeout");
        Objects.requireNonNull(unsubscribeTimeout, "unsubscribeTimeout");
        Objects.requireNonNull(maxPayloadSize, "maxPayloadSize");
        Objects.requireNonNull(transport, "transport");
    }

    /** The same connection to another broker. */
    public ConnectionConfig withBrokerUrl(String url) {
        return new ConnectionConfig(url, clientId, clientUsername, clientPassword, protocolVersion, keepAlive,
                connectTimeout, acknowledgeTimeout, subscribeTimeout, unsubscribeTimeout, maxPayloadSize, transport);
    }

    /** The same connection under another client id ("" for a fresh random one). */
    public ConnectionConfig withClientId(String id) {
        return new ConnectionConfig(brokerUrl, id, clientUsername, clientPassword, protocolVersion, keepAlive,
                connectTimeout, acknowledgeTimeout, subscribeTimeout, unsubscribeTimeout, maxPayloadSize, transport);
    }

    /** The same connection without user name, password and TLS files (an anonymous plain-TCP broker). */
    public ConnectionConfig withoutCredentials() {
        return new ConnectionConfig(brokerUrl, clientId, "", Secret.NONE, protocolVersion, keepAlive, connectTimeout,
                acknowledgeTimeout, subscribeTimeout, unsubscribeTimeout, maxPayloadSize, TlsConfig.NONE);
    }
}

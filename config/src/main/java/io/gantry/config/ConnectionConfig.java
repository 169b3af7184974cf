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
}

package io.gantry.app.mqtt;

import io.gantry.config.ConnectionConfig;
import io.gantry.config.Secret;
import io.gantry.config.TlsConfig;
import java.time.Duration;

/** Connection settings for tests: Kanto's defaults with another URL, protocol, credentials or TLS files. */
final class TestConnections {

    /** Fast enough for tests, still exercising doubling and the cap. */
    static final Backoff QUICK = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));

    private TestConnections() {
    }

    static ConnectionConfig to(String url, String protocolVersion) {
        return of(url, protocolVersion, "", Secret.NONE, TlsConfig.NONE);
    }

    /** With a fixed client id, to find the client in the broker's log. */
    static ConnectionConfig named(String url, String protocolVersion, String clientId) {
        return with(url, protocolVersion, clientId, "", Secret.NONE, TlsConfig.NONE);
    }

    static ConnectionConfig of(String url, String protocolVersion, String user, Secret password, TlsConfig tls) {
        return with(url, protocolVersion, "", user, password, tls);
    }

    private static ConnectionConfig with(String url, String protocolVersion, String clientId, String user,
                                         Secret password, TlsConfig tls) {
        ConnectionConfig d = ConnectionConfig.DEFAULTS;
        return new ConnectionConfig(url, clientId, user, password, protocolVersion, d.keepAlive(),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                d.maxPayloadSize(), tls);
    }
}

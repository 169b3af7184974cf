package io.gantry.app.mqtt;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the MQTT broker listens and how to reach it, read from {@code connection.broker_url}.
 *
 * <p>The schemes are Kanto's (reference/kanto-things.md §1.1): {@code tcp} and {@code mqtt} are plain TCP;
 * {@code ssl}, {@code tls}, {@code mqtts}, {@code mqtt+ssl} and {@code tcps} are TLS; {@code ws} and {@code wss}
 * are WebSocket, plain and TLS. A missing port takes the scheme's well-known one. The host may contain underscores
 * (Docker container names do), which {@link java.net.URI} would not accept as a host, so the authority is read here.
 */
record BrokerAddress(String url, String host, int port, boolean tls, boolean websocket, String path) {

    private record Scheme(boolean tls, boolean websocket, int defaultPort) {
    }

    private static final Map<String, Scheme> SCHEMES = Map.of(
            "tcp", new Scheme(false, false, 1883),
            "mqtt", new Scheme(false, false, 1883),
            "ssl", new Scheme(true, false, 8883),
            "tls", new Scheme(true, false, 8883),
            "mqtts", new Scheme(true, false, 8883),
            "mqtt+ssl", new Scheme(true, false, 8883),
            "tcps", new Scheme(true, false, 8883),
            "ws", new Scheme(false, true, 80),
            "wss", new Scheme(true, true, 443));

    BrokerAddress {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
    }

    /**
     * Reads {@code scheme://host[:port][/path]}.
     *
     * @throws IllegalArgumentException naming the URL and what is wrong with it
     */
    static BrokerAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the broker URL is empty (e.g. tcp://localhost:1883)");
        }
        String text = url.trim();
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw invalid(url, "it needs a scheme, e.g. tcp://localhost:1883");
        }
        Scheme scheme = SCHEMES.get(text.substring(0, sep).toLowerCase(Locale.ROOT));
        if (scheme == null) {
            throw invalid(url, "the scheme must be one of tcp, mqtt, ssl, tls, mqtts, mqtt+ssl, tcps, ws, wss");
        }
        String rest = text.substring(sep + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (authority.contains("@")) {
            throw invalid(url, "credentials belong in connection.client_username and client_password");
        }
        if (!path.isEmpty() && !scheme.websocket()) {
            throw invalid(url, "only ws and wss URLs may have a path");
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(url, "the IPv6 address lacks its closing ]");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw invalid(url, "unexpected text after the IPv6 address");
            }
            portText = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? "" : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw invalid(url, "the host is missing");
        }
        int port = scheme.defaultPort();
        if (!portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw invalid(url, "\"" + portText + "\" is not a port");
            }
            if (port < 1 || port > 65535) {
                throw invalid(url, "port " + port + " is out of range");
            }
        }
        return new BrokerAddress(text, host, port, scheme.tls(), scheme.websocket(), path);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("\"" + url + "\" is not a broker URL: " + why);
    }

    @Override
    public String toString() {
        return url;
    }
}

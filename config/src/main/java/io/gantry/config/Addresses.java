package io.gantry.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the network addresses of the configuration without resolving any name: a check must not depend on DNS.
 * Each method returns what is wrong, or nothing.
 */
final class Addresses {

    /** The broker URL schemes of Kanto's MQTT client (reference/kanto-things.md §1.1); the second set uses TLS. */
    static final Set<String> BROKER_SCHEMES = Set.of("tcp", "mqtt", "ws", "ssl", "tls", "mqtts", "mqtt+ssl", "tcps",
            "wss");
    static final Set<String> TLS_SCHEMES = Set.of("ssl", "tls", "mqtts", "mqtt+ssl", "tcps", "wss");
    private static final String SCHEME_LIST = "tcp, mqtt, ssl, tls, mqtts, mqtt+ssl, tcps, ws or wss";

    private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)([?#].*)?$");
    private static final Pattern HOST_NAME = Pattern.compile(
            "^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]+$");
    private static final Pattern PORT = Pattern.compile("^\\d{1,5}$");

    private Addresses() {
    }

    /** {@code tcp://localhost:1883}, {@code mqtts://broker:8883}, {@code wss://broker:443/mqtt}. */
    static Optional<String> brokerUrl(String text) {
        String expected = "expected scheme://host:port with scheme " + SCHEME_LIST + ", e.g. tcp://localhost:1883";
        Matcher m = URL.matcher(text);
        if (!m.matches()) {
            return Optional.of("\"" + text + "\" is not a broker URL (" + expected + ")");
        }
        if (m.group(2).contains("@")) {
            // Never echo this URL: it holds a password.
            return Optional.of("a broker URL must not hold credentials; use client_username and client_password");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (!BROKER_SCHEMES.contains(scheme)) {
            return Optional.of("\"" + text + "\" has scheme " + scheme + " (expected " + SCHEME_LIST + ")");
        }
        Optional<String> authority = hostPort(m.group(2), true);
        if (authority.isPresent()) {
            return Optional.of("\"" + text + "\": " + authority.get() + " (" + expected + ")");
        }
        boolean web = scheme.equals("ws") || scheme.equals("wss");
        if (!web && !m.group(3).isEmpty() && !m.group(3).equals("/")) {
            return Optional.of("\"" + text + "\": only ws:// and wss:// URLs have a path");
        }
        if (m.group(4) != null) {
            return Optional.of("\"" + text + "\": a broker URL has no query or fragment");
        }
        return Optional.empty();
    }

    static boolean usesTls(String brokerUrl) {
        Matcher m = URL.matcher(brokerUrl);
        return m.matches() && TLS_SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT));
    }

    /** {@code unix:///var/run/docker.sock} or {@code tcp://host:port}, as Docker's {@code DOCKER_HOST}. */
    static Optional<String> engineHost(String text) {
        String expected = "expected unix:///path/to/docker.sock or tcp://host:port";
        if (text.startsWith("unix://")) {
            String path = text.substring("unix://".length());
            return path.startsWith("/") && path.length() > 1 && !path.contains("?") ? Optional.empty()
                    : Optional.of("\"" + text + "\" does not name an absolute socket path (" + expected + ")");
        }
        Matcher m = URL.matcher(text);
        if (!m.matches() || !m.group(1).equalsIgnoreCase("tcp")) {
            return Optional.of("\"" + text + "\" is not an engine address (" + expected + ")");
        }
        Optional<String> authority = hostPort(m.group(2), true);
        if (authority.isPresent()) {
            return Optional.of("\"" + text + "\": " + authority.get() + " (" + expected + ")");
        }
        if ((!m.group(3).isEmpty() && !m.group(3).equals("/")) || m.group(4) != null) {
            return Optional.of("\"" + text + "\": an engine address has no path (" + expected + ")");
        }
        return Optional.empty();
    }

    /** {@code 127.0.0.1:9464}, {@code [::1]:9464}, {@code gateway:9464}. */
    static Optional<String> listenAddress(String text) {
        return hostPort(text, true).map(why -> "\"" + text + "\": " + why
                + " (expected host:port, e.g. 127.0.0.1:9464, or 0.0.0.0:9464 for every interface)");
    }

    /** A registry key as Docker names registries: {@code host[:port]}, the text before an image's first {@code /}. */
    static Optional<String> registryHost(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("://")) {
            return Optional.of("a registry key is host[:port] without a scheme, e.g. "
                    + lower.substring(lower.indexOf("://") + 3).replaceAll("/.*", ""));
        }
        if (lower.contains("/")) {
            return Optional.of("a registry key is host[:port] without a path, e.g. " + lower.replaceAll("/.*", ""));
        }
        if (lower.equals("index.docker.io") || lower.equals("registry-1.docker.io")) {
            return Optional.of("Docker Hub is keyed as docker.io, the registry that image references name");
        }
        return hostPort(text, false).map(why -> why + " (expected host[:port], e.g. registry.example.com:5000)");
    }

    /** What is wrong with {@code host:port} (or {@code host} when the port is optional), or nothing. */
    static Optional<String> hostPort(String text, boolean portRequired) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return Optional.of("the IPv6 address has no closing ]");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return Optional.of("expected :port after the IPv6 address");
                }
                port = rest.substring(1);
            }
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                return Optional.of("\"" + host + "\" is not an IPv6 address");
            }
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
            if (host.contains(":")) {
                return Optional.of("an IPv6 address is written in brackets, e.g. [::1]:1883");
            }
            if (host.isEmpty()) {
                return Optional.of("the host is missing");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                return Optional.of("\"" + host + "\" is not a host name or IP address");
            }
        }
        if (port == null) {
            return portRequired ? Optional.of("the port is missing") : Optional.empty();
        }
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return Optional.of("port \"" + port + "\" is not a number from 1 to 65535");
        }
        return Optional.empty();
    }
}

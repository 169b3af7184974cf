package io.gantry.config;

import java.util.Objects;

/** PEM file paths for a TLS connection: the CA to trust, and an optional client certificate and key. */
public record TlsConfig(String rootCa, String clientCert, String clientKey) {

    public static final TlsConfig NONE = new TlsConfig("", "", "");

    public TlsConfig {
        Objects.requireNonNull(rootCa, "rootCa");
        Objects.requireNonNull(clientCert, "clientCert");
        Objects.requireNonNull(clientKey, "clientKey");
    }

    public boolean isEmpty() {
        return rootCa.isEmpty() && clientCert.isEmpty() && clientKey.isEmpty();
    }
}

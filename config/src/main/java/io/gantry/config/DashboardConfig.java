package io.gantry.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The dashboard in the browser (docs/dashboard.md): off unless {@code enable} is true, on {@code listen}
 * ({@code host:port}, localhost by default). {@code password_hash} is the only credential, a PBKDF2 hash that
 * {@code gantry dashboard-password} makes; {@code tls_cert} and {@code tls_key} (PEM files, set together) turn on HTTPS.
 * {@code act_on_unmanaged} lets the dashboard start, stop, restart and remove containers Gantry did not create.
 */
public record DashboardConfig(boolean enable, String listen, Secret passwordHash, Duration sessionTimeout,
                              boolean actOnUnmanaged, String tlsCert, String tlsKey) {

    public static final DashboardConfig DEFAULTS = new DashboardConfig(false, "127.0.0.1:9465", Secret.NONE,
            Duration.ofMinutes(15), false, "", "");

    public DashboardConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(tlsCert, "tlsCert");
        Objects.requireNonNull(tlsKey, "tlsKey");
    }

    /** True when HTTPS is configured. */
    public boolean tls() {
        return !tlsCert.isEmpty();
    }
}

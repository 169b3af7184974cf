package io.gantry.core.container;

import java.util.Locale;
import java.util.Optional;

/** Bind-mount propagation, as in Docker and Kanto's {@code propagationMode}. */
public enum Propagation {
    RPRIVATE, PRIVATE, RSHARED, SHARED, RSLAVE, SLAVE;

    public static Optional<Propagation> forName(String name) {
        return EnumNames.wire(Propagation.class, name);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

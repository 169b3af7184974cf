package io.gantry.core.container;

import java.util.Locale;
import java.util.Optional;

/** The transport protocol of a published port. */
public enum Protocol {
    TCP, UDP, SCTP;

    public static Optional<Protocol> forName(String name) {
        return EnumNames.wire(Protocol.class, name);
    }

    /** The lower-case spelling used by Docker and Kanto ({@code tcp}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

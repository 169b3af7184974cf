package io.gantry.core.container;

import java.util.Locale;

/** The result of the image's health check; {@link #NONE} when the image has none. */
public enum Health {
    NONE, STARTING, HEALTHY, UNHEALTHY;

    public static Health forName(String name) {
        if (name == null || name.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return NONE;
        }
    }
}

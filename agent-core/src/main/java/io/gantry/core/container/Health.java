package io.gantry.core.container;

/** The result of the image's health check; {@link #NONE} when the image has none. */
public enum Health {
    NONE, STARTING, HEALTHY, UNHEALTHY;

    /** Docker's spelling ({@code healthy}); no or an unknown status means {@link #NONE}. */
    public static Health forName(String name) {
        return EnumNames.wire(Health.class, name).orElse(NONE);
    }
}

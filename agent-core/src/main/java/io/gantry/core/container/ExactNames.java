package io.gantry.core.container;

import java.util.Optional;

/** Enum constants by their exact name, as Kanto's messages and Gantry's journal spell them ({@code ACTIVATE}). */
public final class ExactNames {

    private ExactNames() {
    }

    public static <E extends Enum<E>> Optional<E> forName(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}

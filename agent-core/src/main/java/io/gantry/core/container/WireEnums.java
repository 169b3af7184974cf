package io.gantry.core.container;

import java.util.Locale;
import java.util.Optional;

/**
 * Looks up an enum constant by a wire spelling, ignoring case and surrounding blanks and taking {@code -} for
 * {@code _} ({@code tcp}, {@code RUNNING}, {@code unless-stopped}).
 */
final class WireEnums {

    private WireEnums() {
    }

    static <E extends Enum<E>> Optional<E> forName(Class<E> type, String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

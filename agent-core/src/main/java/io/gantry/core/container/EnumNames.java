package io.gantry.core.container;

import java.util.Locale;
import java.util.Optional;

/**
 * The one enum lookup by name: exactly as written ({@code ACTIVATE}: Kanto's commands and statuses, Gantry's journal),
 * or by a wire spelling that ignores case and surrounding blanks and takes {@code -} for {@code _} ({@code tcp},
 * {@code RUNNING}, {@code unless-stopped}). Both answer empty, never throw, for an unknown or null name.
 */
public final class EnumNames {

    private EnumNames() {
    }

    /** The constant named exactly {@code name}. */
    public static <E extends Enum<E>> Optional<E> exact(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The constant a wire spelling names: case, surrounding blanks and {@code -} against {@code _} do not matter. */
    public static <E extends Enum<E>> Optional<E> wire(Class<E> type, String name) {
        return name == null ? Optional.empty()
                : exact(type, name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}

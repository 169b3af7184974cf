package io.gantry.update.protocol;

import java.util.List;

/** Shared normalisation of the wire records: an absent JSON array reads as an empty list. */
final class Wire {

    private Wire() {
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}

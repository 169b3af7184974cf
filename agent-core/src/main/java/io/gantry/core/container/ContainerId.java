package io.gantry.core.container;

/** The engine's id of a container; this is also the id used on the wire ({@code Container:<id>}). */
public record ContainerId(String value) implements Comparable<ContainerId> {

    public ContainerId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("container id is blank");
        }
        if (value.contains("/")) {
            throw new IllegalArgumentException("container id contains '/': " + value);
        }
    }

    public static ContainerId of(String value) {
        return new ContainerId(value);
    }

    /** The first 12 characters, as {@code docker ps} prints them. */
    public String shortForm() {
        return value.length() > 12 ? value.substring(0, 12) : value;
    }

    @Override
    public int compareTo(ContainerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

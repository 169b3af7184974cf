package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.Container;
import java.util.Objects;

/**
 * A hawkBit dependency description: for a container, its image split at the first {@code :} into group and version,
 * and its id as the name (reference/kanto-things.md §3.3).
 */
public record DependencyDescription(String group, String name, String version, String type) {

    public DependencyDescription {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(type, "type");
    }

    /**
     * The description of a container. Kanto splits the image reference as typed at its first colon, so a registry
     * port ends up in the version ({@code localhost:5000/app:1.0} gives group {@code localhost}); kept for
     * compatibility with back ends that match these values.
     */
    public static DependencyDescription of(Container container) {
        String image = container.image().text();
        int colon = image.indexOf(':');
        String group = colon < 0 ? image : image.substring(0, colon);
        String version = colon < 0 ? "" : image.substring(colon + 1);
        return new DependencyDescription(group, container.id().value(), version, "");
    }

    /** The key in {@code installedDependencies}: {@code <group>.<name>:<version>} with every {@code /} as {@code %2F}. */
    public String key() {
        return (group + "." + name + ":" + version).replace("/", "%2F");
    }

    /** {@code group} and {@code type} are left out when empty; {@code name} and {@code version} are always there. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (!group.isEmpty()) {
            json.put("group", group);
        }
        json.put("name", name).put("version", version);
        if (!type.isEmpty()) {
            json.put("type", type);
        }
        return json;
    }
}

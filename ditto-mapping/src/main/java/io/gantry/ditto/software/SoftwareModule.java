package io.gantry.ditto.software;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A hawkBit software module's id: {@code {"name","version"}}. */
public record SoftwareModule(String name, String version) {

    public SoftwareModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("name", name).put("version", version);
    }
}

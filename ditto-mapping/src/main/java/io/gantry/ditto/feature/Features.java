package io.gantry.ditto.feature;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Building blocks shared by the feature mappers. */
public final class Features {

    private Features() {
    }

    /** A feature with only its definition: {@code {"definition":["<definition>"]}}. */
    public static ObjectNode definition(String definition) {
        ObjectNode feature = JsonNodeFactory.instance.objectNode();
        feature.putArray("definition").add(definition);
        return feature;
    }
}

package io.gantry.ditto.feature;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.time.TimeSync;

/**
 * Gantry's own feature, {@code Gantry} (docs/twin.md): what the agent knows about its device that Kanto's features
 * have no place for. Its one property, {@code timeSync}, is
 * {@code {"synchronised":true|false|null,"source":"…"}} ({@code null}: no source could tell).
 */
public final class GantryFeature {

    public static final String TIME_SYNC = "timeSync";

    private GantryFeature() {
    }

    /** The whole feature: its definition and properties. */
    public static ObjectNode feature(TimeSync timeSync) {
        ObjectNode feature = Features.definition(FeatureIds.GANTRY_DEFINITION);
        feature.putObject("properties").set(TIME_SYNC, timeSync(timeSync));
        return feature;
    }

    /** The {@code timeSync} property. */
    public static ObjectNode timeSync(TimeSync status) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        switch (status.state()) {
            case SYNCHRONISED -> value.put("synchronised", true);
            case NOT_SYNCHRONISED -> value.put("synchronised", false);
            case UNKNOWN -> value.putNull("synchronised");
        }
        value.put("source", status.source());
        return value;
    }
}

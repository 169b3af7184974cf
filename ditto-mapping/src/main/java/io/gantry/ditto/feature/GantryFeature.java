package io.gantry.ditto.feature;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.policy.Refusal;
import io.gantry.core.time.TimeSync;
import java.util.List;

/**
 * Gantry's own feature, {@code Gantry} (docs/twin.md): what the agent knows about its device that Kanto's features
 * have no place for. {@code timeSync} is {@code {"synchronised":true|false|null,"source":"…"}} ({@code null}: no
 * source could tell); {@code recentRefusals} is the list of the recent refusals of the operator's policy and trust
 * rules, newest first, each {@code {"time","path","rule","image","digest"?,"subject","action","message"}}.
 */
public final class GantryFeature {

    public static final String TIME_SYNC = "timeSync";
    public static final String RECENT_REFUSALS = "recentRefusals";

    private GantryFeature() {
    }

    /** The whole feature: its definition and properties. */
    public static ObjectNode feature(TimeSync timeSync, List<Refusal> refusals) {
        ObjectNode feature = Features.definition(FeatureIds.GANTRY_DEFINITION);
        ObjectNode properties = feature.putObject("properties");
        properties.set(TIME_SYNC, timeSync(timeSync));
        properties.set(RECENT_REFUSALS, refusals(refusals));
        return feature;
    }

    /** The {@code recentRefusals} property: newest first. */
    public static ArrayNode refusals(List<Refusal> refusals) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (Refusal r : refusals) {
            ObjectNode o = list.addObject();
            o.put("time", r.time().toString());
            o.put("path", r.path());
            o.put("rule", r.rule());
            o.put("image", r.image());
            r.digest().ifPresent(d -> o.put("digest", d));
            o.put("subject", r.subject());
            o.put("action", r.action());
            o.put("message", r.message());
        }
        return list;
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

package io.gantry.ditto.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerState;
import io.gantry.kanto.json.ContainerConfigMapper;
import io.gantry.kanto.json.Rfc3339;
import io.gantry.core.twin.TwinContainer;

/**
 * A container as its {@code Container:<id>} feature (reference/kanto-things.md §3.2): the whole feature and the
 * three properties that are published on their own ({@code status/state}, {@code status/name},
 * {@code status/config}). Keys are in Kanto's order and left out when empty, zero or false.
 */
public final class ContainerFeatureMapper {

    public static final String STATE = "status/state";
    public static final String NAME = "status/name";
    public static final String CONFIG = "status/config";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ContainerFeatureMapper() {
    }

    /** The whole feature: definition and {@code properties.status}. */
    public static ObjectNode feature(TwinContainer container) {
        ObjectNode feature = Features.definition(FeatureIds.CONTAINER_DEFINITION);
        feature.putObject("properties").set("status", status(container));
        return feature;
    }

    public static ObjectNode status(TwinContainer twin) {
        Container c = twin.container();
        ObjectNode status = JSON.objectNode();
        status.put("name", c.name().value());
        status.put("imageRef", c.image().text());
        status.set("config", config(twin));
        status.put("createdAt", Rfc3339.format(c.createdAt()));
        status.set("state", state(twin));
        return status;
    }

    /** {@code status.state}; a container without a process reports pid -1, as Kanto does. */
    public static ObjectNode state(TwinContainer twin) {
        ContainerState s = twin.container().state();
        ObjectNode state = JSON.objectNode();
        state.put("status", twin.status().name());
        long pid = twin.status().hasProcess() ? s.pid() : -1;
        if (pid != 0) {
            state.put("pid", pid);
        }
        if (!s.error().isEmpty()) {
            state.put("error", s.error());
        }
        if (s.exitCode() != 0) {
            state.put("exitCode", s.exitCode());
        }
        s.startedAt().ifPresent(t -> state.put("startedAt", Rfc3339.format(t)));
        s.finishedAt().ifPresent(t -> state.put("finishedAt", Rfc3339.format(t)));
        if (s.oomKilled()) {
            state.put("oomKilled", true);
        }
        return state;
    }

    public static JsonNode name(TwinContainer twin) {
        return JSON.textNode(twin.container().name().value());
    }

    public static ObjectNode config(TwinContainer twin) {
        Container c = twin.container();
        ObjectNode config = ContainerConfigMapper.toJson(c.spec());
        // The engine's default host name is the id's first 12 characters, which the feature id already says: every
        // hand-made container's feature would repeat it upstream (docs/fleet.md). Kanto never reports such containers.
        if (!c.managed() && c.spec().hostname().equals(c.id().shortForm())) {
            config.remove("hostName");
        }
        return config;
    }
}

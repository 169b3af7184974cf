package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.cli.ContainerJson;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerState;
import io.gantry.update.plan.Ownership;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The JSON the dashboard's pages read about containers: one row per container for the list, and the detail view with
 * the spec as Gantry reads it. Environment values whose names look like credentials are masked.
 */
final class ContainerView {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Names of environment variables whose values the page never gets. */
    /** What the browser gets instead of a secret value. */
    static final String MASK = "****";
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass|secret|token|key|credential|auth).*");

    private ContainerView() {
    }

    /** All containers, by name. */
    static ArrayNode rows(List<Container> containers, boolean actOnUnmanaged) {
        ArrayNode rows = JSON.createArrayNode();
        containers.stream().sorted(Comparator.comparing(c -> c.name().value()))
                .forEach(c -> rows.add(row(c, actOnUnmanaged)));
        return rows;
    }

    static ObjectNode row(Container c, boolean actOnUnmanaged) {
        ObjectNode row = JSON.createObjectNode();
        ContainerState s = c.state();
        row.put("id", c.id().value());
        row.put("name", c.name().value());
        row.put("image", c.image().text());
        row.put("digest", c.image().digest().orElse(""));
        row.put("image_id", c.imageId());
        row.put("state", s.status().dockerName());
        row.put("since", since(c).toString());
        row.put("exit_code", s.exitCode());
        row.put("health", s.health().name().toLowerCase(Locale.ROOT));
        row.put("restarts", s.restartCount());
        ArrayNode ports = row.putArray("ports");
        c.spec().ports().forEach(p -> ports.add(p.toString()));
        Manager manager = Manager.of(c);
        row.put("managed_by", manager.label());
        Ownership.descriptorFile(c).ifPresent(f -> row.put("descriptor", f));
        row.put("actions", c.managed() || actOnUnmanaged);
        return row;
    }

    /** The row, plus the spec and Gantry's labels. */
    static ObjectNode detail(Container c, boolean actOnUnmanaged) {
        ObjectNode node = row(c, actOnUnmanaged);
        ObjectNode full = ContainerJson.of(c);
        node.set("state_detail", full.get("state"));
        ObjectNode spec = (ObjectNode) full.get("spec");
        spec.set("env", masked(spec.get("env")));
        node.set("spec", spec);
        node.set("gantry_labels", full.get("gantry_labels"));
        node.put("created", c.createdAt().toString());
        return node;
    }

    /** When the container entered its state: started, finished, or created. */
    static Instant since(Container c) {
        ContainerState s = c.state();
        if (s.status().isAlive()) {
            return s.startedAt().orElse(c.createdAt());
        }
        return s.finishedAt().filter(f -> f.isAfter(c.createdAt())).orElse(c.createdAt());
    }

    private static ArrayNode masked(JsonNode env) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode e : env) {
            out.add(masked(e.asText()));
        }
        return out;
    }

    /** {@code NAME=value} with the value shown as {@link #MASK} when the name looks like a credential's. */
    static String masked(String variable) {
        int eq = variable.indexOf('=');
        return eq > 0 && SECRET_NAME.matcher(variable.substring(0, eq)).matches()
                ? variable.substring(0, eq + 1) + MASK : variable;
    }
}

package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The update agent's operations as its feedback messages tell them ({@code <domain>update/desiredstatefeedback},
 * reference/kanto-cua.md §1.3): the one in progress with its latest status and actions, and the last
 * {@link #KEPT} that ended. It reads the feedback the agent publishes, so the page sees exactly what an update manager
 * sees. Thread-safe; a message that is not feedback is ignored.
 */
final class UpdateFeed {

    static final int KEPT = 10;
    private static final int MAX_BYTES = 256 * 1024;
    private static final Set<String> FINAL = Set.of("COMPLETED", "INCOMPLETE", "IDENTIFICATION_FAILED");

    private ObjectNode current;
    private final Deque<ObjectNode> finished = new ArrayDeque<>();

    /** Reads one feedback message; true when the view changed. */
    synchronized boolean accept(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            return false;
        }
        JsonNode root;
        try {
            root = ContainerView.JSON.readTree(payload);
        } catch (IOException e) {
            return false;
        }
        if (root == null || !root.path("activityId").isTextual() || !root.path("payload").path("status").isTextual()) {
            return false;
        }
        JsonNode p = root.get("payload");
        ObjectNode op = ContainerView.JSON.createObjectNode();
        op.put("activity_id", root.get("activityId").asText());
        op.put("time", root.path("timestamp").asLong());
        op.put("status", p.get("status").asText());
        op.put("message", p.path("message").asText(""));
        ArrayNode actions = op.putArray("actions");
        for (JsonNode a : p.path("actions")) {
            actions.addObject().put("component", a.path("component").path("id").asText(""))
                    .put("version", a.path("component").path("version").asText(""))
                    .put("status", a.path("status").asText("")).put("message", a.path("message").asText(""));
        }
        if (FINAL.contains(op.get("status").asText())) {
            current = null;
            finished.removeIf(f -> f.get("activity_id").equals(op.get("activity_id")));
            finished.addFirst(op);
            while (finished.size() > KEPT) {
                finished.removeLast();
            }
        } else {
            current = op;
        }
        return true;
    }

    synchronized ObjectNode json() {
        ObjectNode node = ContainerView.JSON.createObjectNode();
        if (current != null) {
            node.set("current", current.deepCopy());
        } else {
            node.putNull("current");
        }
        ArrayNode last = node.putArray("last");
        finished.forEach(f -> last.add(f.deepCopy()));
        return node;
    }
}

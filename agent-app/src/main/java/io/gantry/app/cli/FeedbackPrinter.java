package io.gantry.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints an activity's feedback for people as it arrives: one line per message (time, status, baseline, message),
 * then one line for each action whose status or message changed since the previous message, since every feedback
 * message repeats the whole action list (reference/kanto-cua.md §3.4).
 *
 * <pre>
 * 12:00:01  DOWNLOAD_SUCCESS
 *           web (2)   DOWNLOAD_SUCCESS   New container created.
 * </pre>
 */
final class FeedbackPrinter {

    private static final String INDENT = " ".repeat(10);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintWriter out;
    private final ZoneId zone;
    private final String componentPrefix;
    private final Map<String, String> shown = new HashMap<>();

    /** {@code domain} is stripped from component ids, which are {@code <domain>:<container name>}. */
    FeedbackPrinter(PrintWriter out, ZoneId zone, String domain) {
        this.out = out;
        this.zone = zone;
        this.componentPrefix = domain + ":";
    }

    void print(JsonNode envelope) {
        JsonNode payload = envelope.path("payload");
        StringBuilder line = new StringBuilder(TIME.format(Instant.ofEpochMilli(envelope.path("timestamp").asLong())
                .atZone(zone))).append("  ").append(payload.path("status").asText("?"));
        String baseline = payload.path("baseline").asText("");
        if (!baseline.isEmpty()) {
            line.append(" (baseline ").append(baseline).append(')');
        }
        String message = payload.path("message").asText("");
        if (!message.isEmpty()) {
            line.append("  ").append(message);
        }
        out.println(line);
        List<String[]> changed = new ArrayList<>();
        for (JsonNode action : payload.path("actions")) {
            String id = action.path("component").path("id").asText("");
            String status = action.path("status").asText("");
            String text = action.path("message").asText("");
            if (!(status + "\n" + text).equals(shown.put(id, status + "\n" + text))) {
                String version = action.path("component").path("version").asText("");
                String name = id.startsWith(componentPrefix) ? id.substring(componentPrefix.length()) : id;
                changed.add(new String[] {version.isEmpty() ? name : name + " (" + version + ")", status, text});
            }
        }
        int nameWidth = changed.stream().mapToInt(c -> c[0].length()).max().orElse(0);
        int statusWidth = changed.stream().mapToInt(c -> c[1].length()).max().orElse(0);
        for (String[] c : changed) {
            out.println((INDENT + pad(c[0], nameWidth) + "   " + pad(c[1], statusWidth) + "   " + c[2])
                    .stripTrailing());
        }
        out.flush();
    }

    /** A line of the CLI's own between the agent's messages (a command it sent). */
    void note(Instant at, String text) {
        out.println(TIME.format(at.atZone(zone)) + "  " + text);
        out.flush();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}

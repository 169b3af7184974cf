package io.gantry.ditto.protocol;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inbound Hono command topic {@code command//<deviceId>/req/<requestId>/<command>} (reference/kanto-things.md
 * §2.2). An empty request id makes the command one-way. The command name is ignored: the operation comes from the
 * envelope's path.
 */
public record CommandTopic(String deviceId, String requestId, String command) {

    private static final Pattern FORM = Pattern.compile("^command//([^/]+)/req/([^/]*)/([^/]+)$");
    /** Inbound twin events (§2.6): always one-way and never operations; Gantry ignores them. */
    private static final Set<String> TWIN_EVENTS = Set.of("created", "modified", "deleted", "errors-response");

    public static Optional<CommandTopic> parse(String topic) {
        Matcher m = FORM.matcher(topic);
        return m.matches() ? Optional.of(new CommandTopic(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    public boolean isTwinEvent() {
        return requestId.isEmpty() && TWIN_EVENTS.contains(command);
    }

    /** Where the reply goes: {@code command//<deviceId>/res/<requestId>/<status>}. */
    public String responseTopic(int status) {
        return "command//" + deviceId + "/res/" + requestId + "/" + status;
    }
}

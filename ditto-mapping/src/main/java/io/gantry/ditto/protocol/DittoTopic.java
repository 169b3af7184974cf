package io.gantry.ditto.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * The topic of an inbound Ditto protocol message, {@code <namespace>/<name>/<group>/<channel>/...}, parsed here
 * once: the router needs the thing it names, and a reply echoes the topic as it came (reference/kanto-things.md
 * §2.2 step 2, §2.4).
 *
 * <p>Contract: valid once built; {@code namespace} and {@code name} hold no {@code /}, and {@code text} is the whole
 * topic, of at least three levels, that they were read from.
 */
public record DittoTopic(String namespace, String name, String text) {

    public DittoTopic {
        Objects.requireNonNull(text, "text");
        if (namespace.contains("/") || name.contains("/")) {
            throw new IllegalArgumentException("a topic level holds no '/': " + namespace + ", " + name);
        }
    }

    /** The topic {@code text}, or empty when it has fewer than three levels (Kanto's "invalid topic" check). */
    public static Optional<DittoTopic> parse(String text) {
        String[] levels = text.split("/", -1);
        return levels.length < 3 ? Optional.empty() : Optional.of(new DittoTopic(levels[0], levels[1], text));
    }

    /** The topic of a twin command this agent sends: {@code <ns>/<name>/things/twin/commands/<action>}. */
    public static DittoTopic twinCommand(ThingIdentity thing, String action) {
        return outbound(thing, "things/twin/commands/" + action);
    }

    /** The topic of a live message this agent sends: {@code <ns>/<name>/things/live/messages/<subject>}. */
    public static DittoTopic liveMessage(ThingIdentity thing, String subject) {
        return outbound(thing, "things/live/messages/" + subject);
    }

    private static DittoTopic outbound(ThingIdentity thing, String rest) {
        return new DittoTopic(thing.namespace(), thing.thingName(), thing.topicPrefix() + "/" + rest);
    }

    /** The thing the topic names: {@code <namespace>:<name>}. */
    public String thingId() {
        return namespace + ":" + name;
    }

    @Override
    public String toString() {
        return text;
    }
}

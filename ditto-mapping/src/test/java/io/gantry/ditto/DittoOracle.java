package io.gantry.ditto;

import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.protocol.JsonifiableAdaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;

/**
 * Eclipse Ditto's own protocol library as the judge of Gantry's messages: an envelope is valid Ditto when
 * {@code ProtocolFactory} reads it and its thing id is one {@code ThingId} accepts; where Ditto has a signal for it,
 * {@code DittoProtocolAdapter} must turn it into that signal too.
 */
public final class DittoOracle {

    private static final DittoProtocolAdapter ADAPTER = DittoProtocolAdapter.newInstance();

    private DittoOracle() {
    }

    /** Parses the envelope as Ditto does; throws Ditto's exception when it is not a valid protocol message. */
    public static JsonifiableAdaptable adaptable(String json) {
        JsonifiableAdaptable adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(
                JsonFactory.readFrom(json).asObject());
        // The topic parser accepts namespaces ThingId rejects (dependencies.md §4d), so check the id as well.
        ThingId.of(adaptable.getTopicPath().getNamespace(), adaptable.getTopicPath().getEntityName());
        return adaptable;
    }

    /** The typed Ditto signal of the envelope. */
    public static Signal<?> signal(String json) {
        return ADAPTER.fromAdaptable(adaptable(json));
    }

    /**
     * Checks an envelope Gantry sent: it must be a valid Ditto protocol message, and a Ditto signal as well, except
     * for an error reply that echoes a request path Ditto has no signal for (kanto-things §2.4 form A keeps the
     * request's path, e.g. {@code /features/ContainerFactory/properties} on a message topic).
     */
    public static void check(String json) {
        JsonifiableAdaptable adaptable = adaptable(json);
        try {
            ADAPTER.fromAdaptable(adaptable);
        } catch (RuntimeException e) {
            String path = adaptable.getPayload().getPath().toString();
            boolean messagePath = MESSAGE_PATH.matcher(path).matches();
            int status = adaptable.getPayload().getHttpStatus().map(s -> s.getCode()).orElse(0);
            if (status < 400 || messagePath) {
                throw e;
            }
        }
    }

    private static final java.util.regex.Pattern MESSAGE_PATH =
            java.util.regex.Pattern.compile("^(/features/[^/]+)?/(inbox|outbox)/messages/[^/]+$");
}

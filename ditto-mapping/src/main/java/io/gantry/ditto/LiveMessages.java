package io.gantry.ditto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Live messages from a feature's outbox to the cloud, such as the Metrics feature's {@code data}
 * (reference/kanto-things.md §2.5): published on {@code e/<tenant>/<thingId>} with topic
 * {@code <ns>/<name>/things/live/messages/<subject>}.
 *
 * <p>Threading: may be called from any thread; the publish is asynchronous. A message is dropped (and logged at
 * DEBUG) while the device is not known or the twin is not registered on the current connection.
 */
public interface LiveMessages {

    void publish(String featureId, String subject, JsonNode value);
}

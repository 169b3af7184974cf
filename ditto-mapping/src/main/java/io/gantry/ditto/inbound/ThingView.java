package io.gantry.ditto.inbound;

import java.util.Optional;

/**
 * What the router needs to know about the twin to check a command: the thing id and which features exist. A view is
 * an immutable snapshot, safe to read on any thread.
 */
public interface ThingView {

    /** The thing id, once the device is known. */
    Optional<String> thingId();

    /** The operations of a registered feature; empty when no such feature is registered. */
    Optional<FeatureOperations> feature(String featureId);
}

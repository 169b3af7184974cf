package io.gantry.update;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.update.protocol.UpdateCodec;
import io.gantry.update.protocol.WireBaseline;
import io.gantry.update.protocol.WireCommand;
import io.gantry.update.protocol.WireComponent;
import io.gantry.update.protocol.WireDesiredState;
import io.gantry.update.protocol.WireDomain;
import io.gantry.update.protocol.WireFeedback;
import io.gantry.update.protocol.WireInventory;
import io.gantry.update.protocol.WireKeyValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds inbound update-protocol messages and reads outbound ones, for tests. */
final class Messages {

    static final long TIMESTAMP = 1719561600000L;

    private Messages() {
    }

    /** A component from alternating keys and values: {@code component("web", "1", "image", "nginx", "port", "80:80")}. */
    static WireComponent component(String id, String version, String... keyValues) {
        return new WireComponent(id, version, pairs(keyValues));
    }

    static List<WireKeyValue> pairs(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate: " + Arrays.toString(keyValues));
        }
        List<WireKeyValue> pairs = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            pairs.add(new WireKeyValue(keyValues[i], keyValues[i + 1]));
        }
        return pairs;
    }

    static byte[] desired(String activityId, WireComponent... components) {
        return desired(activityId, List.of(), List.of(), components);
    }

    static byte[] desired(String activityId, List<WireBaseline> baselines, List<WireKeyValue> domainConfig,
                          WireComponent... components) {
        return UpdateCodec.encode(activityId, TIMESTAMP, state(baselines, domainConfig, components));
    }

    static WireDesiredState state(List<WireBaseline> baselines, List<WireKeyValue> domainConfig,
                                  WireComponent... components) {
        return new WireDesiredState(baselines, List.of(new WireDomain("containers", domainConfig, List.of(components))));
    }

    /** A message whose payload is given as JSON, as a case file holds it. */
    static byte[] envelope(String activityId, JsonNode payload) {
        return UpdateCodec.encode(activityId, TIMESTAMP, payload);
    }

    static byte[] command(String activityId, String command, String baseline) {
        return UpdateCodec.encode(activityId, TIMESTAMP, new WireCommand(command, baseline));
    }

    static byte[] currentStateGet(String activityId) {
        return UpdateCodec.encode(activityId, TIMESTAMP, new WireKeyValue("", ""));
    }

    /** A published feedback message, decoded. */
    record Feedback(String activityId, long timestamp, WireFeedback payload, JsonNode json) {
        String status() {
            return payload.status();
        }

        String message() {
            return payload.message() == null ? "" : payload.message();
        }

        List<String> actionStatuses() {
            return payload.actions().stream().map(a -> a.status()).toList();
        }

        List<String> actionMessages() {
            return payload.actions().stream().map(a -> a.message() == null ? "" : a.message()).toList();
        }
    }

    /** A published current state, decoded. */
    record CurrentState(String activityId, WireInventory payload, JsonNode json) {
    }

    static JsonNode tree(byte[] bytes) {
        try {
            return UpdateCodec.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Feedback feedback(byte[] bytes) {
        JsonNode json = tree(bytes);
        try {
            WireFeedback payload = UpdateCodec.mapper().treeToValue(json.get("payload"), WireFeedback.class);
            return new Feedback(json.get("activityId").asText(), json.get("timestamp").asLong(), payload, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CurrentState currentState(byte[] bytes) {
        JsonNode json = tree(bytes);
        try {
            WireInventory payload = UpdateCodec.mapper().treeToValue(json.get("payload"), WireInventory.class);
            return new CurrentState(json.get("activityId").asText(), payload, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

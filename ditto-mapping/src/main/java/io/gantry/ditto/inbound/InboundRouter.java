package io.gantry.ditto.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.concurrent.Threads;
import io.gantry.kanto.json.JsonInput;
import io.gantry.core.transport.MessageTransport;
import io.gantry.ditto.protocol.CommandTopic;
import io.gantry.ditto.protocol.DittoCodec;
import io.gantry.ditto.protocol.DittoEnvelope;
import io.gantry.ditto.protocol.DittoError;
import io.gantry.ditto.protocol.DittoException;
import io.gantry.ditto.protocol.DittoTopic;
import io.gantry.ditto.protocol.InboundEnvelope;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Receives cloud commands ({@code command//<thingId>/req/#}), checks them in exactly the order Kanto does
 * (reference/kanto-things.md §2.2), hands each operation to its feature on the command pool and publishes the reply
 * after the operation's effects: 200/204 on success (§2.3), or one of the three error forms (§2.4).
 *
 * <p>Unlike Kanto, nothing a sender can put on the wire stops the agent: invalid JSON or an envelope without topic or
 * path gets form B (where a reply is possible at all), mistyped headers get a 400, and every exception is turned
 * into an error reply by {@link DittoErrors}. One-way commands (empty request id, {@code response-required} absent
 * or false) never get a reply; their errors are logged at WARN. A payload over the size limit is refused with 400
 * without being parsed.
 *
 * <p>Threading: {@link #onMessage} runs on the transport's thread and only decodes and checks; operations run on the
 * {@link KeyedExecutor}, keyed by what they act on (the container), so a slow operation never holds up another
 * container's.
 */
public final class InboundRouter implements MessageTransport.MessageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InboundRouter.class);
    private static final Pattern FEATURE_PATH = Pattern.compile("^/features/([^/]+)/inbox/messages/([^/]+)$");
    private static final Pattern THING_PATH = Pattern.compile("^/inbox/messages/([^/]+)$");
    private static final String JSON = "application/json";

    private final Supplier<ThingView> view;
    private final KeyedExecutor executor;
    private final MessageTransport transport;
    private volatile long maxPayloadBytes;

    public InboundRouter(Supplier<ThingView> view, KeyedExecutor executor, MessageTransport transport,
                         long maxPayloadBytes) {
        this.view = Objects.requireNonNull(view, "view");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.transport = Objects.requireNonNull(transport, "transport");
        maxPayloadBytes(maxPayloadBytes);
    }

    /** Changes the size limit (configuration reload); payloads longer than this are refused unread. */
    public void maxPayloadBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the payload limit must be positive: " + bytes);
        }
        maxPayloadBytes = bytes;
    }

    @Override
    public void onMessage(String topic, byte[] payload) {
        Threads.runGuarded("Handling a message on " + topic, () -> route(topic, payload));
    }

    /** An oversized command the transport refused unread: answered like one found too long here. */
    @Override
    public void onRefused(String topic, long bytes) {
        Threads.runGuarded("Handling a message on " + topic,
                () -> commandTopic(topic).ifPresent(this::refuseOversized));
    }

    /** A request whose envelope was read: what the checks of §2.2 need and what the reply reuses. */
    private record Request(CommandTopic mqtt, boolean oneWay, String topic, String path, JsonInput headers,
                           Optional<JsonNode> value) {
    }

    /** The command topic a message came on, or empty (logged) when it is none or a twin event. */
    private static Optional<CommandTopic> commandTopic(String mqttTopic) {
        Optional<CommandTopic> parsed = CommandTopic.parse(mqttTopic);
        if (parsed.isEmpty()) {
            LOG.warn("Ignored a message on {}: not a command topic", mqttTopic);
        } else if (parsed.get().isTwinEvent()) {
            // §2.6: inbound twin events may be ignored, which avoids Kanto's side effects.
            LOG.debug("Ignored twin event on {}", mqttTopic);
            return Optional.empty();
        }
        return parsed;
    }

    private void refuseOversized(CommandTopic mqtt) {
        refuseUnread(mqtt, DittoError.parameterInvalid("the Ditto message received for device id ["
                + mqtt.deviceId() + "] is larger than the limit of " + maxPayloadBytes + " bytes"));
    }

    private void route(String mqttTopic, byte[] payload) {
        Optional<CommandTopic> parsed = commandTopic(mqttTopic);
        if (parsed.isEmpty()) {
            return;
        }
        CommandTopic mqtt = parsed.get();
        String dev = mqtt.deviceId();
        if (payload.length > maxPayloadBytes) {
            refuseOversized(mqtt);
            return;
        }
        Request request;
        try {
            request = read(mqtt, payload);
        } catch (DittoException e) {
            // Step 1: the payload is not JSON, or its topic, headers or path have the wrong JSON type.
            LOG.debug("Unreadable command on {}: {}", mqttTopic, e.getMessage());
            refuseUnread(mqtt, DittoError.parameterInvalid("error parsing Ditto message received for device id ["
                    + dev + "]"));
            return;
        }
        Checked checked = check(request);
        if (checked.error().isPresent()) {
            reply(request, checked.error().get());
        } else {
            dispatch(request, checked.operation(), checked.handler());
        }
    }

    private static Request read(CommandTopic mqtt, byte[] payload) {
        InboundEnvelope envelope = InboundEnvelope.read(payload);
        // A non-boolean response-required is refused in step 5; until then such a request counts as two-way.
        JsonNode responseRequired = envelope.headers().field("response-required").node();
        boolean oneWay = mqtt.requestId().isEmpty()
                || responseRequired.isMissingNode() || responseRequired.isNull()
                || (responseRequired.isBoolean() && !responseRequired.booleanValue());
        return new Request(mqtt, oneWay, envelope.topic(), envelope.path(), envelope.headers(), envelope.value());
    }

    /** What the checks found: the first error's reply, or the operation and the feature that takes it. */
    private record Checked(Optional<DittoEnvelope> error, Operation operation, FeatureOperations handler) {
        static Checked refused(DittoEnvelope reply) {
            return new Checked(Optional.of(reply), null, null);
        }
    }

    /** Steps 2 and 4–8 of §2.2, in order, on one view of the thing. */
    private Checked check(Request r) {
        String dev = r.mqtt().deviceId();
        if (r.topic().isEmpty() || r.path().isEmpty()) {
            return Checked.refused(Replies.unparsed(DittoError.parameterInvalid(
                    "invalid Ditto message received for device id [" + dev + "]")));
        }
        Optional<DittoTopic> topic = DittoTopic.parse(r.topic());
        if (topic.isEmpty()) {
            return Checked.refused(Replies.unparsed(DittoError.parameterInvalid(
                    "invalid Ditto message topic received for device id [" + dev + "]")));
        }
        Optional<String> headerProblem = headerProblem(r);
        if (headerProblem.isPresent()) {
            return Checked.refused(formA(r, DittoError.parameterInvalid("invalid Ditto message received for device id ["
                    + dev + "]: " + headerProblem.get())));
        }
        ThingView thing = view.get();
        String thingId = topic.get().thingId();
        if (thing.thingId().filter(thingId::equals).isEmpty()) {
            return Checked.refused(formA(r, DittoError.subjectNotFound("thing with ID = " + dev + " is not found")));
        }
        Matcher feature = FEATURE_PATH.matcher(r.path());
        if (feature.matches()) {
            Optional<FeatureOperations> handler = thing.feature(feature.group(1));
            if (handler.isEmpty()) {
                // The trailing space is Kanto's.
                return Checked.refused(formA(r, DittoError.parameterInvalid("feature [" + feature.group(1)
                        + "] not found ")));
            }
            String correlationId = r.headers().field("correlation-id").node().textValue();
            return new Checked(Optional.empty(), new Operation(feature.group(1), feature.group(2), r.value(),
                    correlationId), handler.get());
        }
        if (THING_PATH.matcher(r.path()).matches()) {
            return Checked.refused(formA(r, DittoError.subjectNotFound("the target thing ID = " + thingId
                    + " does not have e registered operations handler - thus, the command will not be processed")));
        }
        return Checked.refused(formA(r, DittoError.parameterInvalid("missing operation name for device id ["
                + thingId + "]")));
    }

    /** Step 5, plus the type checks Kanto lacks (it crashes on a mistyped header). */
    private static Optional<String> headerProblem(Request r) {
        JsonNode correlationId = r.headers().field("correlation-id").node();
        if (correlationId.isMissingNode() || correlationId.isNull()
                || (correlationId.isTextual() && correlationId.textValue().isEmpty())) {
            return Optional.of("correlation id header is missing");
        }
        if (!correlationId.isTextual()) {
            return Optional.of("correlation id header must be a string");
        }
        JsonNode responseRequired = r.headers().field("response-required").node();
        if (!responseRequired.isMissingNode() && !responseRequired.isNull() && !responseRequired.isBoolean()) {
            return Optional.of("response-required header must be true or false");
        }
        JsonNode contentType = r.headers().field("content-type").node();
        boolean hasContentType = !contentType.isMissingNode() && !contentType.isNull();
        String ct = hasContentType ? contentType.asText() : "";
        if (r.value().isPresent()) {
            if (!hasContentType) {
                return Optional.of("missing content type header");
            }
            if (!ct.equals(JSON)) {
                return Optional.of("unsupported content type header " + ct);
            }
        } else if (hasContentType) {
            return Optional.of("unexpected content type header " + ct);
        }
        return Optional.empty();
    }

    private void dispatch(Request r, Operation operation, FeatureOperations handler) {
        executor.execute(keyOf(handler, operation), () -> run(r, handler, operation));
    }

    private static Object keyOf(FeatureOperations handler, Operation operation) {
        try {
            return Objects.requireNonNull(handler.key(operation), "key");
        } catch (RuntimeException e) {
            LOG.debug("No key for {} on {}: {}", operation.name(), operation.featureId(), e.toString());
            return operation.featureId();
        }
    }

    private void run(Request r, FeatureOperations handler, Operation operation) {
        MDC.put("correlationId", operation.correlationId());
        try {
            Optional<JsonNode> result = handler.invoke(operation);
            LOG.debug("{} on {}: done", operation.name(), operation.featureId());
            if (!r.oneWay()) {
                publish(r.mqtt(), Replies.success(r.topic(), operation.featureId(), operation.name(),
                        operation.correlationId(), result));
            }
        } catch (RuntimeException e) {
            DittoError error = DittoErrors.from(e);
            reply(r, Replies.error(r.topic(), Replies.outboxPath(operation.featureId(), operation.name()),
                    Optional.of(operation.correlationId()), error));
        } finally {
            MDC.remove("correlationId");
        }
    }

    private static DittoEnvelope formA(Request r, DittoError error) {
        JsonNode correlationId = r.headers().field("correlation-id").node();
        // A correlation id of the wrong type is still echoed as text, so the sender can match the 400 it causes.
        Optional<String> echo = correlationId.isValueNode() && !correlationId.isNull()
                ? Optional.of(correlationId.asText()) : Optional.empty();
        return Replies.error(r.topic(), r.path(), echo, error);
    }

    private void reply(Request r, DittoEnvelope reply) {
        JsonNode error = reply.value().orElseThrow();
        if (r.oneWay()) {
            LOG.warn("Rejected one-way command on {}: status={} reason={}", r.path(), reply.status(),
                    error.get("message").asText());
            return;
        }
        LOG.warn("Rejected command on {}: status={} reason={}", r.path().isEmpty() ? "/" : r.path(), reply.status(),
                error.get("message").asText());
        publish(r.mqtt(), reply);
    }

    /** Steps before the envelope is read: a reply is possible only on a two-way topic, and goes out as form B. */
    private void refuseUnread(CommandTopic mqtt, DittoError error) {
        if (mqtt.requestId().isEmpty()) {
            LOG.warn("Dropped one-way command for {}: {}", mqtt.deviceId(), error.message());
            return;
        }
        LOG.warn("Rejected command for {}: status={} reason={}", mqtt.deviceId(), error.status(), error.message());
        publish(mqtt, Replies.unparsed(error));
    }

    private void publish(CommandTopic mqtt, DittoEnvelope reply) {
        String topic = mqtt.responseTopic(reply.status());
        transport.publish(topic, DittoCodec.encode(reply), false).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("Could not publish the reply on {}: {}", topic, failure.getMessage());
            }
        });
    }
}

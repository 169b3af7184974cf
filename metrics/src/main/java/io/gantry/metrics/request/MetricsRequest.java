package io.gantry.metrics.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.config.GoDuration;
import io.gantry.metrics.snapshot.MeasurementId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A metrics {@code request} of the Ditto {@code Metrics} feature (reference/kanto-things.md §3.4): report every
 * {@code frequency} the measurements that {@code filters} select. A zero frequency means "stop reporting".
 */
public record MetricsRequest(Duration frequency, List<MetricFilter> filters) {

    /** The request that stops reporting. */
    public static final MetricsRequest STOP = new MetricsRequest(Duration.ZERO, List.of());

    /** Longest period Gantry schedules; a larger request (Kanto would overflow) is cut to it. */
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);
    private static final String REQUEST_TYPE = "things.Request";
    private static final String FILTER_TYPE = "things.Filter";

    public MetricsRequest {
        Objects.requireNonNull(frequency, "frequency");
        // Kanto: "absent or <= 0 stops reporting"
        if (frequency.isNegative()) {
            frequency = Duration.ZERO;
        }
        filters = List.copyOf(filters);
    }

    public static MetricsRequest of(Duration frequency, MetricFilter... filters) {
        return new MetricsRequest(frequency, List.of(filters));
    }

    /**
     * Reads the {@code value} of a {@code request} message as Kanto's Go code does: keys match ignoring case, unknown
     * keys are ignored, {@code frequency} is a Go duration string or a number of seconds (fraction truncated), and a
     * JSON {@code null} value is a request without frequency, which stops reporting.
     *
     * @param value the message's {@code value}; {@code null} or a missing node count as JSON {@code null}
     * @throws InvalidRequestException with the message of Kanto's 400 reply
     */
    public static MetricsRequest parse(JsonNode value) throws InvalidRequestException {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return STOP;
        }
        if (!value.isObject()) {
            throw typeError(value, "value", REQUEST_TYPE);
        }
        Duration frequency = Duration.ZERO;
        JsonNode frequencyNode = GoText.field(value, "frequency");
        if (frequencyNode != null) {
            frequency = frequency(frequencyNode);
        }
        List<MetricFilter> filters = List.of();
        JsonNode filterNode = GoText.field(value, "filter");
        if (filterNode != null && !filterNode.isNull()) {
            filters = filters(filterNode);
        }
        return new MetricsRequest(frequency, filters);
    }

    private static Duration frequency(JsonNode node) throws InvalidRequestException {
        if (node.isTextual()) {
            try {
                return GoDuration.parse(node.textValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
        }
        if (node.isNumber()) {
            // Go: time.Duration(value) * time.Second, so the fraction of a second is dropped
            double seconds = node.doubleValue();
            if (seconds <= 0 || Double.isNaN(seconds)) {
                return Duration.ZERO;
            }
            return seconds >= LONGEST.getSeconds() ? LONGEST : Duration.ofSeconds((long) seconds);
        }
        throw new InvalidRequestException("invalid duration: " + GoText.value(node));
    }

    private static List<MetricFilter> filters(JsonNode node) throws InvalidRequestException {
        if (!node.isArray()) {
            throw typeError(node, "struct field Request.filter", "[]" + FILTER_TYPE);
        }
        List<MetricFilter> filters = new ArrayList<>();
        for (JsonNode item : node) {
            if (item.isNull()) {
                filters.add(new MetricFilter(List.of(), ""));
                continue;
            }
            if (!item.isObject()) {
                throw typeError(item, "struct field Request.filter", FILTER_TYPE);
            }
            String originator = "";
            JsonNode originatorNode = GoText.field(item, "originator");
            if (originatorNode != null && !originatorNode.isNull()) {
                if (!originatorNode.isTextual()) {
                    throw typeError(originatorNode, "struct field Request.filter.originator", "string");
                }
                originator = originatorNode.textValue();
            }
            List<String> ids = new ArrayList<>();
            JsonNode idNode = GoText.field(item, "id");
            if (idNode != null && !idNode.isNull()) {
                if (!idNode.isArray()) {
                    throw typeError(idNode, "struct field Request.filter.id", "[]string");
                }
                for (JsonNode id : idNode) {
                    if (id.isNull()) {
                        ids.add("");
                    } else if (id.isTextual()) {
                        ids.add(id.textValue());
                    } else {
                        throw typeError(id, "struct field Request.filter.id", "string");
                    }
                }
            }
            filters.add(new MetricFilter(ids, originator));
        }
        return filters;
    }

    /** encoding/json's UnmarshalTypeError text. */
    private static InvalidRequestException typeError(JsonNode node, String where, String type) {
        return new InvalidRequestException(
                "json: cannot unmarshal " + GoText.kind(node) + " into Go " + where + " of type " + type);
    }

    public boolean isStop() {
        return frequency.isZero();
    }

    /** This request with its frequency raised to {@code minimum} (Kanto clamps to 1 s); a stop stays a stop. */
    public MetricsRequest atLeast(Duration minimum) {
        if (isStop() || frequency.compareTo(minimum) >= 0) {
            return this;
        }
        return new MetricsRequest(minimum, filters);
    }

    /** Kanto's {@code HasFilterFor}: no filters, or a filter for this originator or for every originator. */
    public boolean hasFilterFor(String originator) {
        if (filters.isEmpty()) {
            return true;
        }
        return filters.stream().anyMatch(f -> f.appliesTo(originator));
    }

    /** Kanto's {@code HasFilterForItem}: no filters, or a filter for the originator that selects the measurement. */
    public boolean hasFilterForItem(MeasurementId id, String originator) {
        if (filters.isEmpty()) {
            return true;
        }
        return filters.stream().anyMatch(f -> f.appliesTo(originator) && f.selects(id.wireId()));
    }
}

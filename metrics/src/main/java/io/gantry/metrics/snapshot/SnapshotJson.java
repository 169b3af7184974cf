package io.gantry.metrics.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * The wire form of a {@link Snapshot}: the {@code value} of a Ditto {@code data} message, in Kanto's key order
 * ({@code snapshot}: {@code originator}, {@code measurements}: {@code id}, {@code value}; then {@code timestamp}) with
 * Go's number formatting (reference/kanto-things.md §3.4).
 */
public final class SnapshotJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final double EXACT_INTEGERS = 0x1p53;

    private SnapshotJson() {
    }

    /** The {@code value} as JSON text, byte for byte what Kanto's Go code prints. */
    public static String toJson(Snapshot snapshot) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("snapshot");
            for (ContainerMeasurements entry : snapshot.entries()) {
                g.writeStartObject();
                g.writeStringField("originator", entry.originator());
                g.writeArrayFieldStart("measurements");
                for (Measurement m : entry.measurements()) {
                    g.writeStartObject();
                    g.writeStringField("id", m.id().wireId());
                    g.writeFieldName("value");
                    g.writeNumber(GoNumbers.format(m.value()));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("timestamp", snapshot.timestamp());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * The {@code value} as a Jackson tree, for glue that builds the envelope as a tree. Integral values are long
     * nodes and the others decimal nodes holding Go's digits, so Jackson writes them as Go does (only an exponent,
     * below 1e-6 or from 1e21 on, comes out as {@code E} instead of {@code e}).
     */
    public static ObjectNode toTree(Snapshot snapshot) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode value = f.objectNode();
        ArrayNode entries = value.putArray("snapshot");
        for (ContainerMeasurements entry : snapshot.entries()) {
            ObjectNode e = entries.addObject();
            e.put("originator", entry.originator());
            ArrayNode measurements = e.putArray("measurements");
            for (Measurement m : entry.measurements()) {
                measurements.addObject().put("id", m.id().wireId()).set("value", number(m.value()));
            }
        }
        value.put("timestamp", snapshot.timestamp());
        return value;
    }

    private static JsonNode number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < EXACT_INTEGERS) {
            return JsonNodeFactory.instance.numberNode((long) v);
        }
        return JsonNodeFactory.instance.numberNode(new BigDecimal(GoNumbers.format(v)));
    }
}

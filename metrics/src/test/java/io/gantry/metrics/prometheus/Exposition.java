package io.gantry.metrics.prometheus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;

/** Reads exposition text back with Hawkular's Prometheus text parser (a real parser of the format, from Maven). */
public final class Exposition {

    private Exposition() {
    }

    /** A parsed family: type name, help, and each sample's labels → value. */
    public record Parsed(String type, String help, Map<Map<String, String>, Double> samples) {
    }

    public static Map<String, Parsed> parse(String text) {
        Map<String, Parsed> out = new LinkedHashMap<>();
        try {
            TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            MetricFamily family;
            while ((family = parser.parse()) != null) {
                Map<Map<String, String>, Double> samples = new LinkedHashMap<>();
                for (Metric m : family.getMetrics()) {
                    double value = m instanceof Counter c ? c.getValue() : ((Gauge) m).getValue();
                    samples.put(new LinkedHashMap<>(m.getLabels()), value);
                }
                out.put(family.getName(), new Parsed(family.getType().name(), family.getHelp(), samples));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<String> names(String text) {
        return new ArrayList<>(parse(text).keySet());
    }
}

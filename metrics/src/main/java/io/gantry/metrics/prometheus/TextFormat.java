package io.gantry.metrics.prometheus;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes metric families through the Prometheus Java client's exposition formats: the Prometheus text format 0.0.4,
 * or OpenMetrics 1.0 when the scraper's {@code Accept} header asks for it. The client orders labels by name and
 * prints a counter's family without its {@code _total} suffix in OpenMetrics, as that format requires.
 */
public final class TextFormat {

    /** The {@code Content-Type} of the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private TextFormat() {
    }

    /** One rendered scrape: the body and its {@code Content-Type}. */
    public record Rendered(String contentType, byte[] body) {
    }

    /** The families in the format that {@code accept} (an HTTP {@code Accept} header, or null) asks for. */
    public static Rendered write(List<MetricFamily> families, String accept) {
        ExpositionFormatWriter writer = FORMATS.findWriter(accept);
        if (!writer.isAvailable()) {
            // the protobuf format needs a jar that the package leaves out; text serves every scraper
            writer = FORMATS.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, snapshots(families));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(writer.getContentType(), out.toByteArray());
    }

    /** The families in the Prometheus text format. */
    public static String write(List<MetricFamily> families) {
        return new String(write(families, null).body(), StandardCharsets.UTF_8);
    }

    static MetricSnapshots snapshots(List<MetricFamily> families) {
        return new MetricSnapshots(families.stream().map(TextFormat::snapshot).toList());
    }

    private static MetricSnapshot snapshot(MetricFamily family) {
        if (family.type() == MetricFamily.Type.COUNTER) {
            CounterSnapshot.Builder counter = CounterSnapshot.builder().name(family.name()).help(family.help());
            family.points().forEach(p -> counter.dataPoint(
                    CounterDataPointSnapshot.builder().labels(labels(p)).value(p.value()).build()));
            return counter.build();
        }
        if (family.type() == MetricFamily.Type.UNKNOWN) {
            UnknownSnapshot.Builder unknown = UnknownSnapshot.builder().name(family.name()).help(family.help());
            family.points().forEach(p -> unknown.dataPoint(
                    UnknownDataPointSnapshot.builder().labels(labels(p)).value(p.value()).build()));
            return unknown.build();
        }
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.name()).help(family.help());
        family.points().forEach(p -> gauge.dataPoint(
                GaugeDataPointSnapshot.builder().labels(labels(p)).value(p.value()).build()));
        return gauge.build();
    }

    private static Labels labels(MetricFamily.Point point) {
        Labels.Builder labels = Labels.builder();
        point.labels().forEach(labels::label);
        return labels.build();
    }
}

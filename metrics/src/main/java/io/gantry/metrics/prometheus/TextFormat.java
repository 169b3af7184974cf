package io.gantry.metrics.prometheus;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
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
        if (family.type() == MetricFamily.Type.HISTOGRAM) {
            HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(family.name()).help(family.help());
            family.distributions().forEach(d -> histogram.dataPoint(histogramPoint(d)));
            return histogram.build();
        }
        if (family.type() == MetricFamily.Type.SUMMARY) {
            SummarySnapshot.Builder summary = SummarySnapshot.builder().name(family.name()).help(family.help());
            family.distributions().forEach(d -> {
                SummaryDataPointSnapshot.Builder point = SummaryDataPointSnapshot.builder().labels(labels(d.labels()))
                        .quantiles(Quantiles.of(d.quantiles().stream()
                                .map(q -> new Quantile(q.quantile(), q.value())).toList()))
                        .count(d.count());
                if (!Double.isNaN(d.sum())) {
                    point.sum(d.sum());
                }
                summary.dataPoint(point.build());
            });
            return summary.build();
        }
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

    /** The client takes a classic histogram's counts per bucket, not cumulative, and adds them up when it writes. */
    private static HistogramDataPointSnapshot histogramPoint(MetricFamily.Distribution d) {
        double[] bounds = new double[d.buckets().size()];
        long[] counts = new long[bounds.length];
        long below = 0;
        for (int i = 0; i < bounds.length; i++) {
            MetricFamily.Bucket b = d.buckets().get(i);
            bounds[i] = b.upperBound();
            counts[i] = b.cumulativeCount() - below;
            below = b.cumulativeCount();
        }
        HistogramDataPointSnapshot.Builder point = HistogramDataPointSnapshot.builder().labels(labels(d.labels()))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts));
        if (!Double.isNaN(d.sum())) {
            point.sum(d.sum());
        }
        return point.build();
    }

    private static Labels labels(MetricFamily.Point point) {
        return labels(point.labels());
    }

    private static Labels labels(java.util.Map<String, String> map) {
        Labels.Builder labels = Labels.builder();
        map.forEach(labels::label);
        return labels.build();
    }
}

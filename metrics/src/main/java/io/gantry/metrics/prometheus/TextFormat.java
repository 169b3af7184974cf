package io.gantry.metrics.prometheus;

import io.gantry.metrics.snapshot.GoNumbers;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes metric families in the Prometheus text exposition format, version 0.0.4: per family one {@code # HELP} and
 * one {@code # TYPE} line, then its samples, {@code name{label="value",…} value}. Help texts escape {@code \} and
 * line feeds; label values also escape {@code "}. Values are printed as Go prints them (integral values plainly).
 */
public final class TextFormat {

    /** The {@code Content-Type} of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private TextFormat() {
    }

    public static String write(List<MetricFamily> families) {
        StringBuilder out = new StringBuilder(4096);
        for (MetricFamily f : families) {
            out.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type().name().toLowerCase(Locale.ROOT))
                    .append('\n');
            for (MetricFamily.Point p : f.points()) {
                out.append(f.name());
                if (!p.labels().isEmpty()) {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> label : p.labels().entrySet()) {
                        if (!first) {
                            out.append(',');
                        }
                        first = false;
                        out.append(label.getKey()).append("=\"").append(escapeLabelValue(label.getValue()))
                                .append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(value(p.value())).append('\n');
            }
        }
        return out.toString();
    }

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return GoNumbers.format(v);
    }

    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String escapeLabelValue(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

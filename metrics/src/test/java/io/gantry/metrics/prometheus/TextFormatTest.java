package io.gantry.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.metrics.prometheus.MetricFamily.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextFormatTest {

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    @Test
    void write_smallFamilies_exactText() {
        String text = TextFormat.write(List.of(
                MetricFamily.builder("gantry_up", Type.GAUGE, "1 when up.").add(1).build(),
                MetricFamily.builder("gantry_bytes_total", Type.COUNTER, "Bytes.")
                        .add(labels("id", "a", "name", "web"), 10371616768.0)
                        .add(labels("id", "b", "name", "db"), 0.5)
                        .build()));

        // the Prometheus client orders families and labels by name and prints values as Java does
        assertThat(text).isEqualTo("""
                # HELP gantry_bytes_total Bytes.
                # TYPE gantry_bytes_total counter
                gantry_bytes_total{id="a",name="web"} 1.0371616768E10
                gantry_bytes_total{id="b",name="db"} 0.5
                # HELP gantry_up 1 when up.
                # TYPE gantry_up gauge
                gantry_up 1.0
                """);
    }

    @Test
    void write_openMetricsAccepted_answersOpenMetrics() {
        TextFormat.Rendered rendered = TextFormat.write(List.of(
                MetricFamily.builder("gantry_bytes_total", Type.COUNTER, "Bytes.").add(labels("id", "a"), 2).build()),
                "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        assertThat(rendered.contentType()).startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(new String(rendered.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("""
                # TYPE gantry_bytes counter
                # HELP gantry_bytes Bytes.
                gantry_bytes_total{id="a"} 2.0
                # EOF
                """);
    }

    @Test
    void write_protobufAsked_answersText() {
        TextFormat.Rendered rendered = TextFormat.write(List.of(
                MetricFamily.builder("gantry_up", Type.GAUGE, "Up.").add(1).build()),
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");

        assertThat(rendered.contentType()).isEqualTo(TextFormat.CONTENT_TYPE);
    }

    @Test
    void write_awkwardHelpAndLabelValues_areEscapedAndReadBackByARealParser() {
        String awkward = "quote\" backslash\\ newline\n end";
        List<MetricFamily> families = List.of(
                MetricFamily.builder("gantry_x", Type.GAUGE, "Help with \\ and\na second line.")
                        .add(labels("image", awkward, "name", "ünïcode"), 2.5)
                        .add(labels("image", "", "name", "empty"), Double.NaN)
                        .build(),
                MetricFamily.builder("gantry_y_total", Type.COUNTER, "").add(1e21).build());

        String text = TextFormat.write(families);

        assertThat(ExpositionGrammar.violations(text)).isEmpty();
        assertThat(text).contains("image=\"quote\\\" backslash\\\\ newline\\n end\"")
                .contains("# HELP gantry_x Help with \\\\ and\\na second line.");
        Map<String, Exposition.Parsed> parsed = Exposition.parse(text);
        assertThat(parsed.keySet()).containsExactly("gantry_x", "gantry_y_total");
        Exposition.Parsed x = parsed.get("gantry_x");
        assertThat(x.type()).isEqualTo("GAUGE");
        assertThat(x.help()).isEqualTo("Help with \\ and\na second line.");
        assertThat(x.samples()).containsEntry(labels("image", awkward, "name", "ünïcode"), 2.5);
        assertThat(x.samples().get(labels("image", "", "name", "empty"))).isNaN();
        assertThat(parsed.get("gantry_y_total").samples()).containsEntry(Map.of(), 1e21);
    }

    static Stream<Arguments> badTexts() {
        return Stream.of(
                Arguments.of("# TYPE a gauge\na{l=\"x\"y\"} 1\n", "malformed labels"),
                Arguments.of("# TYPE a gauge\na{l=\"x\\q\"} 1\n", "malformed labels"),
                Arguments.of("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n", "second TYPE"),
                Arguments.of("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n", "outside its family"),
                Arguments.of("a 1\n", "outside its family"),
                Arguments.of("# HELP a x\na 1\n", "before the TYPE"),
                Arguments.of("# TYPE a gauge\na one\n", "not a float"),
                Arguments.of("# TYPE a gauge\na 1\na 2\n", "duplicate sample"),
                Arguments.of("# TYPE a gauge\na{l=\"1\",l=\"2\"} 1\n", "twice"),
                Arguments.of("# TYPE a gauge\na 1", "line feed"),
                Arguments.of("# TYPE 1a gauge\n", "malformed"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badTexts")
    void grammar_rejectsInvalidText(String text, String problem) {
        assertThat(ExpositionGrammar.violations(text)).anySatisfy(v -> assertThat(v).contains(problem));
    }

    @Test
    void family_invalidNamesAndDuplicateSamples_areRejected() {
        assertThatThrownBy(() -> MetricFamily.builder("1bad", Type.GAUGE, "").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFamily.builder("ok", Type.GAUGE, "").add(labels("__x", "1"), 1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFamily.builder("ok", Type.GAUGE, "").add(1).add(2).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}

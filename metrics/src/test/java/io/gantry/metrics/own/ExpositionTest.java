package io.gantry.metrics.own;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The strict reader of containers' expositions: what it takes, and the line and reason of what it refuses. */
class ExpositionTest {

    @Test
    void aValidExposition_isReadWithTypesHelpLabelsAndValues() throws Exception {
        List<Exposition.Family> families = Exposition.parse("""
                # HELP app_requests_total Requests served\\nby the app.
                # TYPE app_requests_total counter
                app_requests_total{code="200",path="/a \\"b\\""} 1027 1700000000000
                app_requests_total{code="500"} 3
                # a comment
                
                app_temperature -1.5e1
                # TYPE app_latency_seconds histogram
                app_latency_seconds_bucket{le="0.1"} 2
                app_latency_seconds_bucket{le="+Inf"} 3
                app_latency_seconds_sum 0.4
                app_latency_seconds_count 3
                app_ratio NaN
                """);

        assertThat(families).extracting(Exposition.Family::name, Exposition.Family::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("app_requests_total", "counter"),
                org.assertj.core.groups.Tuple.tuple("app_temperature", "untyped"),
                org.assertj.core.groups.Tuple.tuple("app_latency_seconds", "histogram"),
                org.assertj.core.groups.Tuple.tuple("app_ratio", "untyped"));
        Exposition.Family requests = families.get(0);
        assertThat(requests.help()).isEqualTo("Requests served\nby the app.");
        assertThat(requests.samples().get(0).labels()).isEqualTo(Map.of("code", "200", "path", "/a \"b\""));
        assertThat(requests.samples().get(0).value()).isEqualTo(1027);
        assertThat(families.get(1).samples().get(0).value()).isEqualTo(-15);
        assertThat(families.get(2).samples()).hasSize(4);
        assertThat(families.get(3).samples().get(0).value()).isNaN();
    }

    @Test
    void typeLinesInTheWrongPlace_areRefused() {
        // apart from the table: a CSV text block takes lines that start with # for comments
        assertRefused("# TYPE a countr\na 1\n", "line 1: \"countr\" is not a metric type (expected counter, gauge,"
                + " histogram, summary or untyped)");
        assertRefused("a 1\n# TYPE a gauge\n", "line 2: TYPE of a after its samples");
        assertRefused("# TYPE a gauge\n# TYPE a gauge\n", "line 2: a second TYPE for a");
        assertRefused("# TYPE a gauge\na 1\nb 1\n# HELP a late\n", "line 4: HELP of a after its samples");
    }

    private static void assertRefused(String text, String why) {
        assertThatThrownBy(() -> Exposition.parse(text)).isInstanceOf(Exposition.MalformedException.class)
                .hasMessage(why);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            a 1\\nb                                      | the text does not end with a newline (cut short?)
            a 1\\r\\n                                    | line 1: a carriage return: lines end with \\n alone
            1a 1\\n                                      | line 1: a sample line must start with a metric name
            a{b=1} 1\\n                                  | line 1: the value of label b is not quoted
            a{b="1} 1\\n                                 | line 1: the value of label b does not end
            a{b="1",b="2"} 1\\n                          | line 1: label b twice
            a{__b="1"} 1\\n                              | line 1: "__b" is not a label name
            a{b="\\\\x"} 1\\n                            | line 1: \\x is not an escape in a label value
            a one\\n                                     | line 1: "one" is not a number
            a 1 2 3\\n                                   | line 1: expected a value and at most a timestamp after a
            a 1 soon\\n                                  | line 1: "soon" is not a timestamp (milliseconds)
            a\\n                                         | line 1: expected a value and at most a timestamp after a
            a 1\\nb 1\\na 2\\n                           | line 3: a sample of a apart from the others
            a{x="1"} 1\\na{x="1"} 2\\n                   | line 2: a second sample of a with labels {x=1}
            """)
    void aMalformedExposition_isRefusedWithTheLineAndReason(String text, String why) {
        String real = text.strip().replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
        assertThatThrownBy(() -> Exposition.parse(real)).isInstanceOf(Exposition.MalformedException.class)
                .hasMessage(why.strip());
    }
}

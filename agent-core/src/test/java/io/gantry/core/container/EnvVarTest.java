package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvVarTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "<unset>", textBlock = """
            X                | X          | <unset>
            X=               | X          | ''
            X=1              | X          | 1
            _PRIVATE=a=b=c   | _PRIVATE   | a=b=c
            lower_case=ok    | lower_case | ok
            A1=two words     | A1         | two words
            """)
    void parse_kantosForms(String text, String name, String value) {
        EnvVar env = EnvVar.parse(text);
        assertThat(env.name()).isEqualTo(name);
        assertThat(env.value()).isEqualTo(Optional.ofNullable(value));
        assertThat(env).hasToString(text);
    }

    @Test
    void parse_keepsNewlinesInTheValue() {
        assertThat(EnvVar.parse("CERT=line1\nline2").value()).contains("line1\nline2");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"1X=2", "", "=x", "A-B=1", "A B=1", "É=1", " X=1"})
    void parse_rejectsWithKantosMessage(String text) {
        assertThatThrownBy(() -> EnvVar.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid environmental variable declaration provided : " + text);
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> EnvVar.parse(null))
                .hasMessage("invalid environmental variable declaration provided : null");
    }

    @Test
    void fromEngine_readsNamesAnOperatorCouldNotType() {
        assertThat(EnvVar.fromEngine("my-var=1")).isEqualTo(EnvVar.of("my-var", "1"));
        assertThat(EnvVar.fromEngine("PATH")).isEqualTo(new EnvVar("PATH", Optional.empty()));
        assertThatThrownBy(() -> EnvVar.fromEngine("=1")).hasMessage("invalid environmental variable name: ");
    }

    @Test
    void order_isByNameThenValue() {
        assertThat(EnvVar.parse("A=2")).isLessThan(EnvVar.parse("B=1"));
        assertThat(EnvVar.parse("A=1")).isLessThan(EnvVar.parse("A=2"));
    }
}
